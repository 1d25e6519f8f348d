import IMAPClient
import Logging

/// Runs work items over up to `connections` sessions of one account, each item once.
///
/// A dropped or stalled connection is reopened under the retry policy and the item in hand
/// is resumed on the new session with its outcome so far (the work itself knows, from the
/// crate or the journal, what is already done). Export and import share this.
struct SessionPool<Item: Sendable, Outcome: Sendable>: Sendable {
    let account: Account
    let connections: Int
    let retry: RetryPolicy
    let tracker: ProgressTracker
    let logger: Logger
    /// `export from HOST`, for log lines.
    let what: String

    func run(
        _ items: [Item],
        fresh: @escaping @Sendable () -> Outcome,
        work: @escaping @Sendable (IMAPSession, Item, inout Outcome) async throws -> Void
    ) async throws -> [(Item, Outcome)] {
        guard !items.isEmpty else { return [] }
        let queue = WorkQueue(items)
        let workers = max(1, min(connections, items.count))
        return try await withThrowingTaskGroup(of: [(Item, Outcome)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    var finished: [(Item, Outcome)] = []
                    var current: Item?
                    var partial = fresh()
                    try await retry.run(what, logger: logger, onRetry: { _, _, _ in
                        tracker.update { $0.reconnections += 1 }
                    }, progress: { tracker.snapshot.messagesDone }) {
                        try await account.withSession(logger: logger) { session in
                            while true {
                                if current == nil {
                                    current = await queue.next()
                                    partial = fresh()
                                }
                                guard let item = current else { break }
                                try await work(session, item, &partial)
                                finished.append((item, partial))
                                current = nil
                            }
                        }
                    }
                    return finished
                }
            }
            var all: [(Item, Outcome)] = []
            for try await finished in group { all += finished }
            return all
        }
    }
}

/// Hands out work items to concurrent workers, each exactly once.
actor WorkQueue<Item: Sendable> {
    private var items: [Item]

    init(_ items: [Item]) { self.items = items.reversed() }

    func next() -> Item? { items.popLast() }
}
