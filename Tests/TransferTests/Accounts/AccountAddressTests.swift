import Testing
@testable import Transfer

@Suite("Account URLs")
struct AccountAddressTests {
    struct Row: Sendable, CustomTestStringConvertible {
        var text: String
        var provider: String?
        var user: String
        var host: String
        var port: Int
        var implicitTLS: Bool
        var testDescription: String { text }
    }

    static let valid: [Row] = [
        Row(text: "imaps://alice@mail.example.com", user: "alice", host: "mail.example.com", port: 993, implicitTLS: true),
        Row(text: "imap://alice@mail.example.com", user: "alice", host: "mail.example.com", port: 143, implicitTLS: false),
        Row(text: "imaps://alice@example.com@imap.example.com:10993", user: "alice@example.com", host: "imap.example.com", port: 10993, implicitTLS: true),
        Row(text: "IMAPS://a%40b.c@host/", user: "a@b.c", host: "host", port: 993, implicitTLS: true),
        Row(text: "imap://bob@[::1]:1143", user: "bob", host: "::1", port: 1143, implicitTLS: false),
        Row(text: "alice@gmail.com", user: "alice@gmail.com", host: "imap.gmail.com", port: 993, implicitTLS: true),
        Row(text: "jean@free.fr", user: "jean", host: "imap.free.fr", port: 993, implicitTLS: true),
        Row(text: "me@mydomain.fr", provider: "ovh", user: "me@mydomain.fr", host: "ssl0.ovh.net", port: 993, implicitTLS: true),
    ]

    @Test("valid account URLs and addresses parse", arguments: valid)
    func parses(_ row: Row) throws {
        let address = try AccountAddress.parse(row.text, provider: row.provider)
        #expect(address.user == row.user)
        #expect(address.host == row.host)
        #expect(address.port == row.port)
        #expect((address.security == .implicitTLS) == row.implicitTLS)
    }

    @Test("invalid account URLs are usage errors", arguments: [
        "imaps://mail.example.com", "imaps://@host", "imaps://alice@", "http://alice@host",
        "alice@unknown-domain.example", "imaps://alice@host:0", "imaps://alice@host:99999", "imaps://a%4@host",
    ])
    func rejects(_ text: String) {
        #expect {
            try AccountAddress.parse(text)
        } throws: { error in
            (error as? TransferError)?.code == .usage
        }
    }

    @Test("an unknown provider is a usage error that lists the known ones")
    func unknownProvider() {
        #expect {
            try AccountAddress.parse("alice@example.com", provider: "nosuch")
        } throws: { error in
            guard let error = error as? TransferError else { return false }
            return error.code == .usage && error.message.contains("gmail")
        }
    }

    @Test("every preset the seed service offers exists")
    func presets() {
        for name in ["gmail", "outlook", "yahoo", "aol", "icloud", "orange", "free", "sfr", "laposte", "ovh", "gmx", "fastmail", "zoho", "yandex", "other"] {
            #expect(ProviderPreset.named(name) != nil, "missing preset \(name)")
        }
    }
}
