/// One folder of a mail store, as both backends describe it: the IMAP account's LIST/SELECT
/// data, or the crate manifest's folder entry.
public struct FolderInfo: Hashable, Sendable {
    /// The human (UTF-8) name, with the source's separator, e.g. `Archive/2024`.
    public var name: String
    /// The name split at the separator: `["Archive", "2024"]`.
    public var components: [String]
    /// The source hierarchy separator, nil for a flat namespace.
    public var separator: Character?
    /// RFC 6154 special use, e.g. `\Sent`; nil for ordinary folders.
    public var specialUse: String?
    public var subscribed: Bool
    /// False for `\Noselect` parents, which hold no messages.
    public var selectable: Bool
    public var uidValidity: UInt32?
    public var uidNext: UInt32?
    public var highestModSeq: UInt64?
    public var messageCount: Int
    public var bytes: UInt64
    /// The exact mailbox name bytes on the IMAP server it came from (modified UTF-7, or raw
    /// bytes from servers that send invalid names): used to reach it again unchanged.
    public var wireName: [UInt8]?

    public init(
        name: String, components: [String], separator: Character?, specialUse: String? = nil,
        subscribed: Bool = false, selectable: Bool = true, uidValidity: UInt32? = nil, uidNext: UInt32? = nil,
        highestModSeq: UInt64? = nil, messageCount: Int = 0, bytes: UInt64 = 0, wireName: [UInt8]? = nil
    ) {
        self.wireName = wireName
        self.name = name
        self.components = components
        self.separator = separator
        self.specialUse = specialUse
        self.subscribed = subscribed
        self.selectable = selectable
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
        self.messageCount = messageCount
        self.bytes = bytes
    }

    /// True for INBOX in any letter case.
    public var isInbox: Bool { name.uppercased() == "INBOX" }

    /// The special-use attributes of RFC 6154 that imapcrate recognises.
    public static let specialUseAttributes = ["\\All", "\\Archive", "\\Drafts", "\\Flagged", "\\Junk", "\\Sent", "\\Trash"]
}

/// What is known about one message before its body is read.
public struct MessageInfo: Hashable, Sendable {
    public var uid: UInt32
    public var size: Int
    /// Flags and keywords as the source sent them (`\Seen`, `$Forwarded`); never `\Recent`.
    public var flags: [String]
    /// IMAP date-time text, e.g. `17-Jul-1996 02:44:25 -0700`.
    public var internalDate: String?
    /// Hex SHA-256 of the message bytes, when the source already knows it (a crate).
    public var sha256: String?
    public var messageID: String?

    public init(uid: UInt32, size: Int, flags: [String], internalDate: String?, sha256: String? = nil, messageID: String? = nil) {
        self.uid = uid
        self.size = size
        self.flags = flags
        self.internalDate = internalDate
        self.sha256 = sha256
        self.messageID = messageID
    }
}
