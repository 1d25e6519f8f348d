import Dispatch

/// Runs a blocking call (fsync, syncfs) on a thread of its own and waits for it without
/// holding one of Swift's cooperative threads: there is one per core, and a connection that
/// blocked one in a disk flush would stall every other connection's work scheduled there.
///
/// Each call gets a serial queue of its own unless one is given. A serial queue always gets a
/// thread; a concurrent queue of the process would run only about one call per core at a
/// time, so a commit could wait behind other flushes while its connection's FETCH, no longer
/// read, ran into the read timeout.
enum BlockingWork {
    static func run<Value: Sendable>(
        on queue: DispatchQueue = DispatchQueue(label: "imapcrate.blocking-work"),
        _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
