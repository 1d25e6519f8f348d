import struct Foundation.Date

/// What `imapcrate inspect` shows about a crate: its origin and each folder's counts and dates.
public struct CrateSummary: Sendable {
    public var source: SourceInfo
    public var mailFormat: MailFormat
    public var state: CrateState
    public var created: Date
    public var updated: Date
    public var toolVersion: String
    public var totals: Manifest.Totals
    public var folders: [FolderSummary]
}

/// One folder in a `CrateSummary`, computed from its index.
public struct FolderSummary: Sendable {
    public var name: String
    public var specialUse: String?
    public var selectable: Bool
    public var subscribed: Bool
    public var messageCount: Int
    public var bytes: Int
    /// INTERNALDATE text of the oldest and newest message, nil for an empty folder.
    public var firstInternalDate: String?
    public var lastInternalDate: String?
    public var firstInternalDateUnix: Int64?
    public var lastInternalDateUnix: Int64?
}

/// One message in `imapcrate inspect --folder NAME`.
public struct MessageSummary: Sendable {
    public var uid: UInt32
    public var uidValidity: UInt32
    public var internalDate: String
    public var internalDateUnix: Int64
    public var size: Int
    public var flags: [String]
    public var messageID: String?
    /// The Subject header, RFC 2047 encoded-words decoded; nil when absent or not read.
    public var subject: String?
}
