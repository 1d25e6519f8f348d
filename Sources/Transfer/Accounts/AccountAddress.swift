import IMAPClient

/// Where an account lives: user, host, port and TLS mode, parsed from an account URL
/// (`imaps://USER@HOST[:PORT]`, `imap://USER@HOST[:PORT]`) or a bare address with a preset.
///
/// USER may contain `@`: the last `@` separates it from the host. Percent-escapes in USER
/// are decoded (`alice%40example.com` is `alice@example.com`).
public struct AccountAddress: Hashable, Sendable, CustomStringConvertible {
    public var user: String
    public var host: String
    public var port: Int
    public var security: ConnectionConfiguration.Security
    /// The preset used, if any.
    public var provider: String?

    public init(user: String, host: String, port: Int, security: ConnectionConfiguration.Security, provider: String? = nil) {
        self.user = user
        self.host = host
        self.port = port
        self.security = security
        self.provider = provider
    }

    /// Parses `text`; `provider` is the `--provider` name, if given.
    public static func parse(_ text: String, provider providerName: String? = nil) throws -> AccountAddress {
        var preset: ProviderPreset?
        if let providerName {
            guard let named = ProviderPreset.named(providerName) else {
                let names = ProviderPreset.all.map(\.name).joined(separator: ", ")
                throw TransferError(.usage, "unknown provider \"\(providerName)\"; known providers: \(names)")
            }
            preset = named
        }
        let scheme: ConnectionConfiguration.Security?
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("imaps://") {
            scheme = .implicitTLS
            rest = rest.dropFirst(8)
        } else if rest.lowercased().hasPrefix("imap://") {
            scheme = .startTLS
            rest = rest.dropFirst(7)
        } else if rest.contains("://") {
            throw TransferError(.usage, "\"\(text)\" is not an account URL: use imaps://USER@HOST[:PORT] or imap://USER@HOST[:PORT]")
        } else {
            scheme = nil
        }
        if rest.hasSuffix("/") { rest = rest.dropLast() }

        guard let scheme else {
            // A bare address: alice@gmail.com, with --provider or a matching domain.
            guard let chosen = preset ?? ProviderPreset.matching(address: String(rest)), let host = chosen.host else {
                throw TransferError(.usage, "\"\(text)\" needs a server: write imaps://USER@HOST or add --provider NAME (see `imapcrate providers`)")
            }
            var user = String(rest)
            if chosen.loginHint == .localPart, let at = user.lastIndex(of: "@") { user = String(user[..<at]) }
            guard !user.isEmpty else { throw TransferError(.usage, "\"\(text)\" has no user name") }
            return AccountAddress(user: user, host: host, port: chosen.port, security: chosen.security, provider: chosen.name)
        }

        guard let at = rest.lastIndex(of: "@") else {
            throw TransferError(.usage, "\"\(text)\" has no user: write \(scheme == .implicitTLS ? "imaps" : "imap")://USER@HOST")
        }
        let user = try percentDecoded(rest[..<at], in: text)
        var hostPart = rest[rest.index(after: at)...]
        var port = scheme == .implicitTLS ? 993 : 143
        if let colon = hostPart.lastIndex(of: ":"), !hostPart.hasSuffix("]") {
            guard let parsed = Int(hostPart[hostPart.index(after: colon)...]), (1...65535).contains(parsed) else {
                throw TransferError(.usage, "\"\(text)\" has an invalid port")
            }
            port = parsed
            hostPart = hostPart[..<colon]
        }
        var host = String(hostPart)
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.isEmpty, let presetHost = preset?.host { host = presetHost }
        guard !user.isEmpty, !host.isEmpty else {
            throw TransferError(.usage, "\"\(text)\" needs both a user and a host: imaps://USER@HOST[:PORT]")
        }
        return AccountAddress(user: user, host: host, port: port, security: scheme, provider: preset?.name)
    }

    static func percentDecoded(_ text: Substring, in whole: String) throws -> String {
        guard text.contains("%") else { return String(text) }
        guard let decoded = String(text).removingPercentEncodingBytes() else {
            throw TransferError(.usage, "\"\(whole)\" has a broken %-escape in the user name")
        }
        return decoded
    }

    /// The canonical URL, without secrets: `imaps://alice@example.com@imap.example.com:993`.
    public var url: String {
        let scheme = security == .implicitTLS ? "imaps" : "imap"
        let shownHost = host.contains(":") ? "[\(host)]" : host
        return "\(scheme)://\(user)@\(shownHost):\(port)"
    }

    /// A stable key for locks and job state: user and host, case-folded where it is safe.
    public var key: String { "\(user)@\(host.lowercased()):\(port)" }

    public var description: String { url }
}

extension String {
    /// Decodes `%XX` escapes as UTF-8; nil when an escape is malformed.
    func removingPercentEncodingBytes() -> String? {
        var bytes: [UInt8] = []
        var iterator = utf8.makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%") {
                guard let high = iterator.next(), let low = iterator.next(),
                      let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
