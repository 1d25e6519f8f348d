import struct Foundation.Date

/// The crate's `manifest.json` (format v1): what was exported, from where, and where each
/// folder's data and index live.
///
/// Written atomically by `CrateWriter` (new file, fsync, rename, fsync directory); read and
/// validated by `Manifest.read(crateRoot:)`. See docs/crate-format.md.
public struct Manifest: Codable, Sendable, Equatable {
    /// The value of `format` in every crate manifest.
    public static let formatName = "imapcrate"
    /// The format version this code writes and reads.
    public static let currentVersion = 1
    /// The manifest's file name at the crate root.
    public static let fileName = "manifest.json"

    public var format: String
    public var formatVersion: Int
    /// Version of the imapcrate that last wrote the crate.
    public var toolVersion: String
    public var created: Date
    public var updated: Date
    public var source: SourceInfo
    /// `complete` after an export finished; `partial` while one runs or after it stopped early.
    public var state: CrateState
    /// The storage format of every folder: `maildir` or `mbox`.
    public var mailFormat: MailFormat
    /// Compression given to folders created from now on (each folder records its own).
    public var compression: CompressionKind
    public var totals: Totals
    public var folders: [Folder]

    public init(
        toolVersion: String, created: Date, source: SourceInfo, mailFormat: MailFormat,
        compression: CompressionKind
    ) {
        format = Self.formatName
        formatVersion = Self.currentVersion
        self.toolVersion = toolVersion
        self.created = created
        updated = created
        self.source = source
        state = .partial
        self.mailFormat = mailFormat
        self.compression = compression
        totals = Totals(folders: 0, messages: 0, bytes: 0)
        folders = []
    }

    /// The folder whose name is exactly `name` (UTF-8 bytes compared, no normalisation).
    public func folder(named name: String) -> Folder? {
        folders.first { $0.name.utf8.elementsEqual(name.utf8) }
    }

    /// Recomputes `totals` from the folders.
    /// The sums saturate rather than overflow, so a tampered manifest cannot crash a reader.
    public mutating func updateTotals() {
        func sum(_ value: (Folder) -> Int) -> Int {
            folders.reduce(0) { total, folder in
                let (added, overflow) = total.addingReportingOverflow(value(folder))
                return overflow ? .max : added
            }
        }
        totals = Totals(folders: folders.count, messages: sum(\.messageCount), bytes: sum(\.bytes))
    }
}

/// The account a crate was exported from.
public struct SourceInfo: Codable, Sendable, Equatable {
    public var host: String
    public var user: String
    /// The server's CAPABILITY list as sent (e.g. `["IMAP4rev1", "UIDPLUS", "CONDSTORE"]`).
    public var capabilities: [String]
    /// The server's hierarchy separator (`"/"`, `"."`), nil for a flat namespace.
    public var separator: String?

    public init(host: String, user: String, capabilities: [String] = [], separator: String? = nil) {
        self.host = host
        self.user = user
        self.capabilities = capabilities
        self.separator = separator
    }
}

/// Whether the export that wrote the crate finished.
public enum CrateState: String, Codable, Sendable {
    case complete
    case partial
}

/// How a folder's messages are stored.
public enum MailFormat: String, Codable, Sendable, CaseIterable {
    /// A Maildir++ tree, one (gzip) file per message, flags in the file name.
    case maildir
    /// One `FOLDER.mbox.gz` (or `.mbox`) per folder, mboxrd, one gzip member per message.
    case mbox
}

extension Manifest {
    /// Counts over all folders (messages = index records, bytes = their original sizes).
    public struct Totals: Codable, Sendable, Equatable {
        public var folders: Int
        public var messages: Int
        public var bytes: Int

        public init(folders: Int, messages: Int, bytes: Int) {
            self.folders = folders
            self.messages = messages
            self.bytes = bytes
        }
    }

    /// One IMAP folder: its identity on the server, its state there and where its data lives.
    public struct Folder: Codable, Sendable, Equatable {
        /// The full name as decoded UTF-8 (modified UTF-7 already undone), e.g. `"Archive/2023"`.
        public var name: String
        /// The name split at the server's separator, e.g. `["Archive", "2023"]`.
        public var pathComponents: [String]
        public var separator: String?
        /// RFC 6154 special-use attribute, e.g. `"\\Sent"`, nil when none.
        public var specialUse: String?
        public var subscribed: Bool
        /// False for `\Noselect` / `\NonExistent` parents, which hold no messages.
        public var selectable: Bool
        public var uidValidity: UInt32?
        public var uidNext: UInt32?
        /// RFC 7162 HIGHESTMODSEQ when the server offered CONDSTORE.
        public var highestModSeq: UInt64?
        /// Number of records in the folder's index.
        public var messageCount: Int
        /// Sum of the original sizes of those records.
        public var bytes: Int
        public var format: MailFormat
        public var compression: CompressionKind
        /// Relative path of the data: a Maildir directory (`maildir`, `maildir/.Sent`) or an mbox
        /// file (`mbox/Sent.mbox.gz`).
        public var location: String
        /// Relative path of the JSON Lines index, e.g. `index/Sent.jsonl`.
        public var indexFile: String
    }
}
