/// A mailbox name as it travels on the wire: the bytes of the astring after unquoting, which
/// are modified UTF-7 (RFC 3501 §5.1.3) unless UTF8=ACCEPT is in force.
///
/// `C: A1 CREATE "Entw&APw-rfe"`
public struct MailboxName: Hashable, Sendable, CustomStringConvertible {
    /// The wire bytes (after quoting is removed).
    public var bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Makes a wire name from a human (UTF-8) name by modified UTF-7 encoding.
    public init(displayName: String) {
        self.bytes = ModifiedUTF7.encode(displayName)
    }

    public static let inbox = MailboxName(bytes: Array("INBOX".utf8))

    /// True when this is INBOX in any letter case (RFC 3501 §5.1).
    public var isInbox: Bool { String(decoding: bytes, as: UTF8.self).uppercased() == "INBOX" }

    /// The human name: modified UTF-7 decoded; if the bytes are not valid modified UTF-7
    /// they are read as UTF-8 (servers with UTF8=ACCEPT, or broken servers).
    public var displayName: String {
        if let decoded = try? ModifiedUTF7.decode(bytes) { return decoded }
        return String(decoding: bytes, as: UTF8.self)
    }

    public var description: String { displayName }
}
