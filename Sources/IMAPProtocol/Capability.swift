/// One capability a server announces, such as `IMAP4rev1`, `LITERAL+` or `AUTH=PLAIN`.
///
/// `S: * CAPABILITY IMAP4rev1 LITERAL+ AUTH=PLAIN` (RFC 3501 §7.2.1). Compared case-insensitively.
public struct Capability: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }

    public static func == (lhs: Capability, rhs: Capability) -> Bool {
        lhs.rawValue.uppercased() == rhs.rawValue.uppercased()
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue.uppercased()) }

    /// The SASL mechanism of an `AUTH=` capability, uppercased.
    public var authMechanism: String? {
        let upper = rawValue.uppercased()
        guard upper.hasPrefix("AUTH=") else { return nil }
        return String(upper.dropFirst(5))
    }

    public static let imap4rev1 = Capability("IMAP4rev1")
    public static let imap4rev2 = Capability("IMAP4rev2")
    public static let startTLS = Capability("STARTTLS")
    public static let loginDisabled = Capability("LOGINDISABLED")
    public static let literalPlus = Capability("LITERAL+")
    public static let literalMinus = Capability("LITERAL-")
    public static let saslIR = Capability("SASL-IR")
    public static let uidPlus = Capability("UIDPLUS")
    public static let multiAppend = Capability("MULTIAPPEND")
    public static let condStore = Capability("CONDSTORE")
    public static let qresync = Capability("QRESYNC")
    public static let specialUse = Capability("SPECIAL-USE")
    public static let listExtended = Capability("LIST-EXTENDED")
    public static let listStatus = Capability("LIST-STATUS")
    public static let namespace = Capability("NAMESPACE")
    public static let id = Capability("ID")
    public static let enable = Capability("ENABLE")
    public static let idle = Capability("IDLE")
    public static let binary = Capability("BINARY")
    public static let compressDeflate = Capability("COMPRESS=DEFLATE")
    public static let utf8Accept = Capability("UTF8=ACCEPT")
    public static let gmailExtensions = Capability("X-GM-EXT-1")
}
