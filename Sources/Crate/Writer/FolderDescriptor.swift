/// What the export engine knows about a folder on the server (from LIST and SELECT/STATUS),
/// handed to `CrateWriter.folder(_:)` to register or update it.
public struct FolderDescriptor: Sendable, Equatable {
    /// The full name as decoded UTF-8, e.g. `"Archive/2023"`; INBOX is matched case-insensitively.
    public var name: String
    /// The name split at the server's separator, e.g. `["Archive", "2023"]`; `[name]` when empty.
    public var pathComponents: [String]
    public var separator: String?
    /// RFC 6154 attribute such as `"\\Sent"`, `"\\Trash"`, or nil.
    public var specialUse: String?
    public var subscribed: Bool
    /// False for `\Noselect` parents: the folder is recorded (and created) but holds no messages.
    public var selectable: Bool
    public var uidValidity: UInt32?
    public var uidNext: UInt32?
    public var highestModSeq: UInt64?

    public init(
        name: String, pathComponents: [String], separator: String?, specialUse: String? = nil,
        subscribed: Bool = true, selectable: Bool = true, uidValidity: UInt32? = nil,
        uidNext: UInt32? = nil, highestModSeq: UInt64? = nil
    ) {
        self.name = name
        self.pathComponents = pathComponents.isEmpty ? [name] : pathComponents
        self.separator = separator
        self.specialUse = specialUse
        self.subscribed = subscribed
        self.selectable = selectable
        self.uidValidity = uidValidity
        self.uidNext = uidNext
        self.highestModSeq = highestModSeq
    }

    /// True for INBOX (RFC 3501 §5.1: the name is case-insensitive).
    public var isInbox: Bool { name.uppercased() == "INBOX" }
}

extension Manifest.Folder {
    /// Copies the server-side facts of `descriptor`, leaving counts and locations alone.
    mutating func apply(_ descriptor: FolderDescriptor) {
        pathComponents = descriptor.pathComponents
        separator = descriptor.separator
        specialUse = descriptor.specialUse
        subscribed = descriptor.subscribed
        selectable = descriptor.selectable
        uidValidity = descriptor.uidValidity
        uidNext = descriptor.uidNext
        highestModSeq = descriptor.highestModSeq
    }
}
