import Dispatch

/// Runs a blocking call (fsync, syncfs) on a thread of its own and waits for it without
/// holding one of Swift's cooperative threads: there is one per core, and a connection that
/// blocked one in a disk flush would stall every other connection's work scheduled there.
enum BlockingWork {
    private static let queue = DispatchQueue(label: "imapcrate.blocking-work", attributes: .concurrent)

    static func run<Value: Sendable>(_ body: @escaping @Sendable () throws -> Value) async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
