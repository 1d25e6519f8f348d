import Foundation

/// What `imapcrate status` shows for one account: written by the running job to
/// `<state-dir>/jobs/<account>/status.json` (atomically), read by anyone.
public struct JobStatus: Codable, Sendable, Equatable {
    public enum State: String, Codable, Sendable {
        case notStarted = "not-started"
        case running
        case finished
        case failed
    }

    public var account: String
    public var state: State
    /// `export`, `import` or `copy`.
    public var kind: String
    public var pid: Int32
    public var startedAt: Date
    public var updatedAt: Date
    /// `listing`, `folders`, `messages`, `report`, `done`.
    public var phase: String
    public var folder: String?
    public var messagesDone: Int
    public var messagesTotal: Int
    public var bytesDone: UInt64
    public var bytesTotal: UInt64
    public var failedMessages: Int
    /// Bytes per second over the run so far.
    public var rate: Double
    /// A one-line result when finished, or the error when failed.
    public var summary: String?

    public init(account: String, kind: String, pid: Int32, startedAt: Date) {
        self.account = account
        self.state = .running
        self.kind = kind
        self.pid = pid
        self.startedAt = startedAt
        self.updatedAt = startedAt
        self.phase = "starting"
        self.messagesDone = 0
        self.messagesTotal = 0
        self.bytesDone = 0
        self.bytesTotal = 0
        self.failedMessages = 0
        self.rate = 0
    }

    /// The state for an account no job has touched.
    public static func notStarted(account: String) -> JobStatus {
        var status = JobStatus(account: account, kind: "-", pid: 0, startedAt: Date(timeIntervalSince1970: 0))
        status.state = .notStarted
        status.phase = "-"
        return status
    }
}
