import Foundation

/// A snapshot of a running job, for progress bars, periodic lines and `status`.
public struct TransferProgress: Sendable, Equatable {
    public var phase: String = "starting"
    public var folder: String?
    public var messagesDone = 0
    public var messagesTotal = 0
    public var bytesDone: UInt64 = 0
    public var bytesTotal: UInt64 = 0
    public var failedMessages = 0
    public var reconnections = 0
    public var startedAt = Date()

    /// Bytes per second since the start.
    public var rate: Double {
        let elapsed = Date().timeIntervalSince(startedAt)
        return elapsed > 0 ? Double(bytesDone) / elapsed : 0
    }
}

/// Receives progress; the CLI renders it, tests record it.
public protocol ProgressObserver: Sendable {
    func progressChanged(_ progress: TransferProgress)
}

/// Counts what a job has done, from any task, and passes snapshots to the observer and the
/// job's status file.
public final class ProgressTracker: @unchecked Sendable {
    private let lock = NSLock()
    private var progress = TransferProgress()
    private let observer: (any ProgressObserver)?
    private let job: JobLock?

    public init(observer: (any ProgressObserver)?, job: JobLock?) {
        self.observer = observer
        self.job = job
    }

    public var snapshot: TransferProgress { lock.withLock { progress } }

    public func update(_ change: (inout TransferProgress) -> Void) {
        let snapshot = lock.withLock {
            change(&progress)
            return progress
        }
        observer?.progressChanged(snapshot)
        job?.update { status in
            status.phase = snapshot.phase
            status.folder = snapshot.folder
            status.messagesDone = snapshot.messagesDone
            status.messagesTotal = snapshot.messagesTotal
            status.bytesDone = snapshot.bytesDone
            status.bytesTotal = snapshot.bytesTotal
            status.failedMessages = snapshot.failedMessages
        }
    }
}
