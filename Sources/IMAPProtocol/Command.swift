/// A command the client sends (RFC 3501 §6, with the extensions imapcrate uses).
/// Encoded by `CommandEncoder` into `EncodedCommand`.
///
/// `C: A3 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])`
public enum Command: Hashable, Sendable {
    case capability
    case noop
    case logout
    case startTLS
    /// `LOGIN user password`; strings are quoted, or sent as literals when they must be.
    case login(username: String, password: String)
    /// `AUTHENTICATE mech [initial-response]`: `initialResponse` is already base64 (SASL-IR,
    /// RFC 4959); an empty initial response is sent as `=`.
    case authenticate(mechanism: String, initialResponse: String?)
    /// RFC 5161.
    case enable([Capability])
    /// RFC 2971: `ID ("name" "imapcrate" ...)`, or `ID NIL` for nil.
    case id([(String, String)]?)
    case namespace
    /// `LIST "" "*"`, with `RETURN (SPECIAL-USE SUBSCRIBED)` when `returnOptions` is non-empty (RFC 5258).
    case list(reference: MailboxName, pattern: MailboxName, returnOptions: [String])
    case lsub(reference: MailboxName, pattern: MailboxName)
    case status(MailboxName, [StatusAttribute])
    /// `SELECT mailbox [(CONDSTORE)]`.
    case select(MailboxName, condStore: Bool)
    case examine(MailboxName, condStore: Bool)
    /// `UID FETCH set (items) [(CHANGEDSINCE n)]`; `set` is an IMAP sequence-set such as `1:*`.
    case uidFetch(set: String, items: [FetchItem], changedSince: UInt64?)
    /// `UID SEARCH criteria` with the criteria as raw wire text (e.g. `UID 100:*`).
    case uidSearch(criteria: String)
    case create(MailboxName)
    case subscribe(MailboxName)
    /// RFC 4978 `COMPRESS DEFLATE`.
    case compressDeflate
}

public extension Command {
    static func == (lhs: Command, rhs: Command) -> Bool { lhs.debugKey == rhs.debugKey }
    func hash(into hasher: inout Hasher) { hasher.combine(debugKey) }

    private var debugKey: String { "\(self)" }
}

/// An item requested in FETCH (RFC 3501 §6.4.5).
public enum FetchItem: Hashable, Sendable {
    case uid
    case flags
    case internalDate
    case rfc822Size
    case modSeq
    /// `BODY.PEEK[section]` (peek: never sets \Seen).
    case bodyPeek(section: String)
    /// RFC 3516 `BINARY.PEEK[section]`.
    case binaryPeek(section: String)
    /// Anything else, sent as is (e.g. `X-GM-LABELS`).
    case raw(String)
}

/// The header of one message inside an APPEND (RFC 3501 §6.3.11, RFC 3502 MULTIAPPEND):
/// flags, optional INTERNALDATE and the size of the literal that follows.
///
/// `C: A4 APPEND INBOX (\Seen $Work) "17-Jul-1996 02:44:25 -0700" {310+}`
public struct AppendMessageHeader: Hashable, Sendable {
    public var flags: [Flag]
    public var internalDate: InternalDate?
    public var byteCount: Int

    public init(flags: [Flag], internalDate: InternalDate?, byteCount: Int) {
        self.flags = flags
        self.internalDate = internalDate
        self.byteCount = byteCount
    }
}
