import Foundation
import IMAPClient
import IMAPProtocol
import Logging
import Testing
@testable import Transfer

@Suite("Retry policy and rate limits")
struct RetryPolicyTests {
    final class Waits: @unchecked Sendable {
        private let lock = NSLockBox()
        private(set) var values: [Duration] = []
        func add(_ value: Duration) { lock.run { values.append(value) } }
    }

    @Test("throttling answers are recognised, with Exchange's suggested backoff")
    func classify() {
        let exchange = IMAPClientError(.commandFailed, "no", response: StatusResponse(status: .no, code: .unavailable,
            text: "Server Unavailable. 15 Suggested Backoff Time: 2000 milliseconds"))
        guard case .throttled(let suggested) = RetryPolicy.classify(exchange) else {
            Issue.record("not classified as throttling")
            return
        }
        #expect(suggested == .milliseconds(2000))
        let gmail = IMAPClientError(.commandFailed, "no", response: StatusResponse(status: .no, text: "Account exceeded command or bandwidth limits."))
        #expect(RetryPolicy.isMessageRefusal(gmail) == false)
        let refusal = IMAPClientError(.commandFailed, "no", response: StatusResponse(status: .no, code: .serverBug, text: "Internal error"))
        #expect(RetryPolicy.isMessageRefusal(refusal))
        guard case .connection = RetryPolicy.classify(IMAPClientError(.disconnected, "gone")) else {
            Issue.record("a drop is connection trouble")
            return
        }
        guard case .fatal = RetryPolicy.classify(IMAPClientError(.authenticationFailed, "no")) else {
            Issue.record("a login failure is not retried")
            return
        }
    }

    @Test("backoff doubles up to the cap, never below the server's suggestion, and gives up after maxRetries")
    func backoff() async throws {
        let policy = RetryPolicy(maxRetries: 3, baseDelay: .seconds(1), maxDelay: .seconds(3))
        for attempt in 1...5 {
            let delay = policy.delay(attempt: attempt, suggested: nil)
            let base = min(Duration.seconds(1) * (1 << (attempt - 1)), .seconds(3))
            #expect(delay >= base && delay <= base * 1.5)
        }
        #expect(policy.delay(attempt: 1, suggested: .seconds(30)) == .seconds(30))

        let waits = Waits()
        var attempts = 0
        await #expect(throws: IMAPClientError.self) {
            try await policy.run("test", logger: Logger(label: "test"), sleep: { waits.add($0) }) {
                attempts += 1
                throw IMAPClientError(.disconnected, "dropped")
            }
        }
        #expect(attempts == 4)
        #expect(waits.values.count == 3)
    }

    @Test("the rate limiter asks for the waits that keep the average under the limits")
    func rateLimiter() async throws {
        let waits = Waits()
        let limiter = RateLimiter(bytesPerSecond: 1000, messagesPerSecond: nil, sleep: { waits.add($0) })
        try await limiter.pace(byteCount: 5000)
        #expect(waits.values.count == 1)
        #expect(waits.values[0] > .milliseconds(4900) && waits.values[0] <= .seconds(5))
        let messages = Waits()
        let perMessage = RateLimiter(messagesPerSecond: 2, sleep: { messages.add($0) })
        for _ in 0..<4 { try await perMessage.pace(byteCount: 1) }
        #expect(messages.values.count == 4)
        #expect(messages.values.last! > .milliseconds(1900))
        let unlimited = RateLimiter()
        try await unlimited.pace(byteCount: 1 << 30)
    }
}

/// A lock for test bookkeeping.
final class NSLockBox: @unchecked Sendable {
    private let lock = NSLock()
    func run<T>(_ body: () -> T) -> T { lock.lock(); defer { lock.unlock() }; return body() }
}
