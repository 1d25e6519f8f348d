import Testing
@testable import TestSupport

@Suite("DovecotConfigFile and SeedMessage")
struct DovecotConfigFileTests {
    private let layout = DovecotLayout(root: "/tmp/imapcrate-dovecot.TEST")
    private let owner = MailOwner(userName: "imapcrate-test", uid: 999, gid: 995)

    private func render(_ configuration: DovecotServer.Configuration, tlsPort: Int? = nil, root: Bool = true) -> [String] {
        DovecotConfigFile(configuration: configuration, layout: layout, owner: owner, ownerGroupName: "imapcrate-test",
                          plainPort: 1143, tlsPort: tlsPort, runsAsRoot: root)
            .render().split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    @Test("the default file is self-contained, loopback-only, plain, with zlib and the '/' separator")
    func defaults() {
        let lines = render(.init())
        #expect(!lines.contains { !$0.hasPrefix("#") && ($0.contains("!include") || $0.contains("/etc/")) })
        for expected in ["listen = 127.0.0.1", "ssl = no", "mail_fsync = never", "mail_plugins = $mail_plugins zlib",
                         "separator = /", "port = 1143", "port = 0", "mail_uid = 999", "mail_gid = 995",
                         "base_dir = /tmp/imapcrate-dovecot.TEST/run",
                         "mail_location = maildir:/tmp/imapcrate-dovecot.TEST/mail/%u/Maildir",
                         "disable_plaintext_auth = no", "auth_mechanisms = plain login"] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(!lines.contains { $0.contains("imap_zlib") || $0.contains("special_use") || $0.contains("chroot") })
    }

    @Test("options add TLS, imap_zlib, special-use folders, extra lines; non-root drops chroots")
    func options() {
        let lines = render(.init(separator: .dot, tls: true, compression: true, specialUseFolders: true,
                                 extraConfiguration: ["imap_idle_notify_interval = 1 secs"]),
                           tlsPort: 1993, root: false)
        for expected in ["ssl = yes", "ssl_cert = </tmp/imapcrate-dovecot.TEST/tls/server.pem", "port = 1993", "ssl = yes",
                         "mail_plugins = $mail_plugins imap_zlib", "separator = .", "special_use = \\Sent",
                         "default_login_user = imapcrate-test", "chroot =", "imap_idle_notify_interval = 1 secs"] {
            #expect(lines.contains(expected), "\(expected)")
        }
        #expect(lines.last == "imap_idle_notify_interval = 1 secs")
    }

    @Test("the passwd-file has one PLAIN line per user, with the mail override as a userdb field")
    func passwd() {
        let text = DovecotConfigFile.renderPasswd(users: [
            .alice, .init(name: "crate", password: "pw", mailLocation: "maildir:/x/maildir"),
        ], layout: layout)
        #expect(text == """
            alice:{PLAIN}alice-password::::/tmp/imapcrate-dovecot.TEST/mail/alice::
            crate:{PLAIN}pw::::/tmp/imapcrate-dovecot.TEST/mail/crate::userdb_mail=maildir:/x/maildir

            """)
    }

    @Test("configurations that would corrupt the passwd-file are refused", arguments: [
        DovecotServer.User(name: "a:b", password: "x"), .init(name: "a/b", password: "x"), .init(name: "", password: "x"),
        .init(name: "a b", password: "x"), .init(name: "ok", password: "p:w"), .init(name: "ok", password: "x", mailLocation: "maildir:/a b"),
    ])
    func invalidUsers(user: DovecotServer.User) {
        #expect(throws: TestSupportError.self) { try DovecotServer.Configuration(users: [user]).validate() }
    }

    static let maildirCases: [(String, Set<SeedFlag>, Int, String)] = [
        ("a\r\nb\r\n", [], 6, ":2,"),
        ("a\nb\n", [.seen, .draft], 6, ":2,DS"),
        ("a\r\nb\n", [.deleted, .answered, .flagged, .seen, .draft], 6, ":2,DFRST"),
        ("", [], 0, ":2,"),
    ]

    @Test("Maildir names: flags in ASCII order, W= counts bare LFs as CRLF", arguments: maildirCases)
    func maildirNames(text: String, flags: Set<SeedFlag>, virtualSize: Int, suffix: String) {
        let message = SeedMessage(text, flags: flags)
        #expect(message.virtualSize == virtualSize)
        #expect(message.infoSuffix == suffix)
    }

    @Test("sample messages have the requested body size and a unique Message-ID")
    func samples() throws {
        let message = SeedMessage.sample(number: 7, bodySize: 1000)
        let text = String(decoding: message.bytes, as: UTF8.self)
        let separator = try #require(text.range(of: "\r\n\r\n"))
        #expect(text[separator.upperBound...].utf8.count == 1000)
        #expect(text.contains("Message-ID: <seed-7@imapcrate.test>\r\n"))
    }
}
