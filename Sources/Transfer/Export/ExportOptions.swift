import Crate

/// How `export` writes the crate.
public struct ExportOptions: Sendable {
    public var format: MailFormat
    public var compression: CompressionSettings
    public var filter: FolderFilter
    /// IMAP connections used in parallel, one folder each at a time. Default 4.
    public var connections: Int
    /// Make the crate durable (fsync data, then append index lines) at least this often.
    public var commitEveryMessages: Int
    public var commitEveryBytes: Int
    /// UIDs per `UID FETCH` command; two commands are kept in flight.
    public var fetchBatchSize: Int
    /// Reconnecting after drops, stalls and throttling.
    public var retry = RetryPolicy()
    /// `--max-bytes-per-second` / `--max-messages-per-second`, shared by all connections.
    public var rateLimiter = RateLimiter()
    /// Told of every commit and every finished folder (`copy`'s import follows the crate).
    public var producer: ProducerState?

    public init(
        format: MailFormat = .maildir,
        compression: CompressionSettings = .default,
        filter: FolderFilter = FolderFilter(),
        connections: Int = 4,
        commitEveryMessages: Int = 1000,
        commitEveryBytes: Int = 64 << 20,
        fetchBatchSize: Int = 500
    ) {
        self.format = format
        self.compression = compression
        self.filter = filter
        self.connections = connections
        self.commitEveryMessages = commitEveryMessages
        self.commitEveryBytes = commitEveryBytes
        self.fetchBatchSize = fetchBatchSize
    }
}

/// What an export did, for the summary line and `--json`.
public struct ExportSummary: Sendable, Codable {
    public struct FailedMessage: Sendable, Codable {
        public var folder: String
        public var uid: UInt32
        public var reason: String
    }

    public var crate: String
    public var account: String
    public var folders = 0
    /// Messages fetched in this run.
    public var messagesFetched = 0
    public var bytesFetched: UInt64 = 0
    /// Messages the crate already had from an earlier run.
    public var messagesAlreadyPresent = 0
    /// Messages in the crate after the run.
    public var messagesInCrate = 0
    public var failed: [FailedMessage] = []
    /// Connections reopened after a drop, a stall or throttling.
    public var reconnections = 0
    public var seconds: Double = 0
}
