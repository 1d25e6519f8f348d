import Foundation

/// Crash-point injection for the kill tests, in the manner of mbsync's test runner: when the
/// environment variable `IMAPCRATE_KILL_AT_STEP` is N, the process sends itself SIGKILL at
/// the N-th step (a message stored, a commit, a journal sync, an APPEND sent or confirmed),
/// exactly as `kill -9` would at that moment. Unset, it costs one integer comparison.
enum FaultInjection {
    private static let target: Int? = ProcessInfo.processInfo.environment["IMAPCRATE_KILL_AT_STEP"].flatMap(Int.init)
    private static let counter = StepCounter()

    /// Marks one step; `label` names it for debugging the tests.
    static func step(_ label: @autoclosure () -> String) {
        guard let target else { return }
        if counter.increment() == target {
            FileHandle.standardError.write(Data("imapcrate: killed at step \(target) (\(label()))\n".utf8))
            kill(getpid(), SIGKILL)
        }
    }
}

private final class StepCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func increment() -> Int {
        lock.withLock {
            value += 1
            return value
        }
    }
}
