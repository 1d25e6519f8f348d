import Foundation
import Transfer

/// Runs a job under its account lock with progress on stderr, and records how it ended
/// for `imapcrate status`.
enum JobRunner {
    /// `body` returns the job's result, a one-line summary and the number of failed messages.
    static func run<Result>(
        kind: String,
        account: AccountAddress,
        global: GlobalOptions,
        _ body: (ProgressTracker) async throws -> (Result, String, Int)
    ) async throws -> Result {
        let lock = try JobLock.acquire(account: account.key, kind: kind, stateDirectory: global.resolvedStateDirectory)
        let renderer = ProgressRenderer(enabled: !global.quiet && !global.json)
        let tracker = ProgressTracker(observer: renderer, job: lock)
        do {
            let (result, summary, failures) = try await body(tracker)
            renderer.finish()
            lock.release(state: failures == 0 ? .finished : .failed, summary: failures == 0 ? summary : "\(summary); \(failures) messages failed")
            return result
        } catch {
            renderer.finish()
            lock.release(state: .failed, summary: "\(error)")
            throw error
        }
    }
}
