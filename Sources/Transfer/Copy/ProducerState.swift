import Foundation

/// What `copy`'s export has done so far, for the import that follows its crate: whether it
/// is still running, which folders it has finished, and a counter per folder that moves on
/// each commit (when new records became durable in the folder's index).
public final class ProducerState: @unchecked Sendable {
    private let lock = NSLock()
    private var running = true
    private var commits: [String: Int] = [:]
    private var finishedFolders: Set<String> = []

    public init() {}

    public var isRunning: Bool { lock.withLock { running } }

    /// The export has ended (successfully or not): nothing more will be committed.
    public func finish() { lock.withLock { running = false } }

    /// The folder's records committed so far are in its index.
    func committed(_ folder: String) { lock.withLock { commits[folder, default: 0] += 1 } }

    /// The folder's export is over: its index holds everything this run will add.
    func finished(_ folder: String) { lock.withLock { _ = finishedFolders.insert(folder) } }

    /// True while the export may still add records to `folder`.
    func isFollowing(_ folder: String) -> Bool {
        lock.withLock { running && !finishedFolders.contains(folder) }
    }

    /// The folder's commit counter, to wait for the next one.
    func commitCount(_ folder: String) -> Int { lock.withLock { commits[folder, default: 0] } }

    /// Returns once `folder` has a commit after `count`, is finished, or the export ended.
    func waitForCommit(_ folder: String, after count: Int) async throws {
        while isFollowing(folder) && commitCount(folder) == count {
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
