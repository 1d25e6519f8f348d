import Foundation
import IMAPClient
import IMAPProtocol
import Logging

/// When and how long to wait before trying again after a dropped connection, a stalled
/// server or a throttling answer: exponential backoff with jitter, bounded retries, and the
/// server's own suggestion when it gives one (Exchange's "Suggested Backoff Time").
public struct RetryPolicy: Sendable {
    /// Attempts after the first; 0 turns retrying off.
    public var maxRetries: Int
    public var baseDelay: Duration
    public var maxDelay: Duration
    /// How a wait is spent; tests inject one that records the durations asked for.
    public var sleep: @Sendable (Duration) async throws -> Void

    public init(
        maxRetries: Int = 5, baseDelay: Duration = .seconds(1), maxDelay: Duration = .seconds(60),
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.sleep = sleep
    }

    /// What kind of trouble an error is.
    enum Trouble {
        /// The connection broke or stalled: reconnect and resume.
        case connection
        /// The server asks to slow down; wait (at least `suggested` when given) and resume.
        case throttled(suggested: Duration?)
        /// Anything else: not retried here.
        case fatal
    }

    static func classify(_ error: any Error) -> Trouble {
        guard let error = error as? IMAPClientError else {
            if let error = error as? TransferError, error.code == .connectionLost { return .connection }
            return .fatal
        }
        switch error.code {
        case .disconnected, .timeout:
            if let bye = error.response, Self.isThrottle(bye) { return .throttled(suggested: suggestedBackoff(bye.text)) }
            return .connection
        case .connectionFailed:
            return .connection
        case .commandFailed:
            guard let response = error.response, isThrottle(response) else { return .fatal }
            return .throttled(suggested: suggestedBackoff(response.text))
        default:
            return .fatal
        }
    }

    /// A NO about the messages themselves, not a request to slow down.
    static func isMessageRefusal(_ error: IMAPClientError) -> Bool {
        guard let response = error.response else { return true }
        return !isThrottle(response)
    }

    /// `[UNAVAILABLE]`, `[LIMIT]`, `[INUSE]`, or a provider's text saying so.
    static func isThrottle(_ response: StatusResponse) -> Bool {
        switch response.code {
        case .unavailable?, .limit?, .inUse?: return true
        default: break
        }
        let text = response.text.lowercased()
        return text.contains("suggested backoff") || text.contains("bandwidth limits") || text.contains("too many")
            || text.contains("throttl") || text.contains("try again later")
    }

    /// Exchange / Office 365: "... Suggested Backoff Time: 30000 milliseconds".
    static func suggestedBackoff(_ text: String) -> Duration? {
        guard let range = text.range(of: "suggested backoff time:", options: .caseInsensitive) else { return nil }
        let digits = text[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber }
        return Int(digits).map { .milliseconds($0) }
    }

    /// The wait before attempt `attempt` (1-based): base·2^(attempt-1), capped, with up to
    /// 50% random jitter added, and never shorter than the server's suggestion.
    func delay(attempt: Int, suggested: Duration?) -> Duration {
        let exponential = baseDelay * Int(1 << min(attempt - 1, 20))
        let capped = min(exponential, maxDelay)
        let jitter = capped * Double.random(in: 0...0.5)
        return max(capped + jitter, suggested ?? .zero)
    }

    /// Runs `body`, retrying on connection trouble and throttling. `onRetry` hears about each
    /// retry (for counting reconnections) before the wait. `progress` is a counter that grows
    /// as work gets done (messages stored or appended): a failure after progress starts a new
    /// series of `maxRetries`, so an hours-long job over a flaky link is not stopped by drops
    /// that each came after useful work, while a server that fails every attempt still is.
    /// `sleep` overrides the policy's own.
    public func run<Result>(
        _ what: String,
        logger: Logger,
        sleep: (@Sendable (Duration) async throws -> Void)? = nil,
        onRetry: (Int, any Error, Duration) -> Void = { _, _, _ in },
        progress: () -> Int = { 0 },
        _ body: () async throws -> Result
    ) async throws -> Result {
        let sleep = sleep ?? self.sleep
        var attempt = 0
        var progressAtLastFailure = progress()
        var isFirstTry = true
        while true {
            do {
                return try await body()
            } catch {
                // A server that cannot be reached at all is a wrong address or port: say so
                // at once. Reconnecting is for connections that worked before.
                if isFirstTry, let error = error as? IMAPClientError, error.code == .connectionFailed { throw error }
                isFirstTry = false
                let done = progress()
                if done > progressAtLastFailure { attempt = 0 }
                progressAtLastFailure = done
                let suggested: Duration?
                switch Self.classify(error) {
                case .fatal:
                    throw error
                case .connection:
                    suggested = nil
                case .throttled(let hint):
                    suggested = hint
                }
                attempt += 1
                guard attempt <= maxRetries else {
                    logger.error("\(what): giving up after \(maxRetries) retries")
                    throw error
                }
                let wait = delay(attempt: attempt, suggested: suggested)
                let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
                logger.warning("\(what): \(error); retrying in \(String(format: "%.1f", seconds)) s (attempt \(attempt) of \(maxRetries))")
                onRetry(attempt, error, wait)
                try await sleep(wait)
            }
        }
    }
}
