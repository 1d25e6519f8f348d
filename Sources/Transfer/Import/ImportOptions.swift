/// How `import` writes into the destination.
public struct ImportOptions: Sendable {
    public var mapper: FolderMapper
    /// Show the plan, change nothing.
    public var dryRun: Bool
    /// APPEND the completion report to the destination INBOX at the end.
    public var sendReport: Bool
    /// IMAP connections used in parallel, one folder each at a time.
    public var connections: Int
    /// Messages whose APPENDs are pipelined before their completions are awaited.
    public var pipelineDepth: Int
    /// Most messages in one MULTIAPPEND command (RFC 3502), when the server has it.
    public var appendGroupSize = 32
    /// Most bytes in one MULTIAPPEND command; a bigger message is sent alone.
    public var appendGroupBytes = 4 << 20
    /// Messages per journal commit (one fsync for their intents, one for their results).
    public var batchSize: Int
    /// Reconnecting after drops, stalls and throttling.
    public var retry = RetryPolicy()
    /// `--max-bytes-per-second` / `--max-messages-per-second`, shared by all connections.
    public var rateLimiter = RateLimiter()

    public init(
        mapper: FolderMapper = FolderMapper(), dryRun: Bool = false, sendReport: Bool = true,
        connections: Int = 4, pipelineDepth: Int = 64, batchSize: Int = 64
    ) {
        self.mapper = mapper
        self.dryRun = dryRun
        self.sendReport = sendReport
        self.connections = connections
        self.pipelineDepth = pipelineDepth
        self.batchSize = batchSize
    }
}

/// What an import did (or, with --dry-run, would do).
public struct ImportSummary: Sendable, Codable {
    public struct Folder: Sendable, Codable {
        public var source: String
        public var destination: String
        public var reason: String
        public var created: Bool
        public var messages: Int
        public var bytes: UInt64
        public var alreadyPresent: Int
        public var notes: [String]
    }

    public struct Skipped: Sendable, Codable {
        public var folder: String
        public var uid: UInt32
        public var size: Int
        public var reason: String
    }

    public var crate: String
    public var source: String
    public var destination: String
    public var dryRun: Bool
    public var folders: [Folder] = []
    public var messagesAppended = 0
    /// For `copy`: messages appended while the export was still running.
    public var messagesAppendedDuringExport = 0
    public var bytesAppended: UInt64 = 0
    public var alreadyPresent = 0
    public var skipped: [Skipped] = []
    /// Keywords the destination would not store, per folder.
    public var droppedKeywords: [String: [String]] = [:]
    public var reportSent = false
    /// Connections reopened after a drop, a stall or throttling.
    public var reconnections = 0
    public var startedAt: String = ""
    public var seconds: Double = 0
}
