import Foundation

/// One job per account at a time: an exclusive `flock` on `<state-dir>/jobs/<account>/lock`.
///
/// The kernel drops the lock when the process dies, so a crashed or killed job never
/// blocks the next run. The holder also keeps `status.json` current for `imapcrate status`.
public final class JobLock: @unchecked Sendable {
    public let directory: URL
    private let descriptor: Int32
    private let lock = NSLock()
    private var status: JobStatus
    private var lastWrite = Date.distantPast

    /// Takes the lock for `account`, or throws `.locked` naming the running job.
    public static func acquire(account: String, kind: String, stateDirectory: URL) throws -> JobLock {
        let directory = JobDirectory.url(for: account, in: stateDirectory)
        try JobDirectory.create(directory)
        let path = directory.appendingPathComponent("lock").path
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TransferError(.failed, "cannot open the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            let running = JobDirectory.readStatus(directory)
            throw TransferError(.locked, "a job for \(account) is already running: \(running.map(JobDirectory.describe) ?? "another imapcrate process holds its lock")")
        }
        let status = JobStatus(account: account, kind: kind, pid: getpid(), startedAt: Date())
        let jobLock = JobLock(directory: directory, descriptor: descriptor, status: status)
        try jobLock.write(force: true)
        return jobLock
    }

    private init(directory: URL, descriptor: Int32, status: JobStatus) {
        self.directory = directory
        self.descriptor = descriptor
        self.status = status
    }

    deinit { close(descriptor) }

    /// Applies `change` to the status; written at most once a second unless `force`.
    public func update(force: Bool = false, _ change: (inout JobStatus) -> Void) {
        lock.lock()
        change(&status)
        status.updatedAt = Date()
        let elapsed = status.updatedAt.timeIntervalSince(status.startedAt)
        if elapsed > 0 { status.rate = Double(status.bytesDone) / elapsed }
        lock.unlock()
        try? write(force: force)
    }

    /// Marks the job finished or failed and releases the lock.
    public func release(state: JobStatus.State, summary: String) {
        update(force: true) {
            $0.state = state
            $0.phase = "done"
            $0.summary = summary
        }
        flock(descriptor, LOCK_UN)
    }

    private func write(force: Bool) throws {
        lock.lock()
        defer { lock.unlock() }
        let now = Date()
        guard force || now.timeIntervalSince(lastWrite) >= 1 else { return }
        lastWrite = now
        try JobDirectory.writeStatus(status, to: directory)
    }
}
