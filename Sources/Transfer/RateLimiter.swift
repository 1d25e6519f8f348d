import Foundation

/// Keeps a job under `--max-bytes-per-second` and `--max-messages-per-second`, across all
/// its connections, for providers with daily quotas: after each message it waits as long as
/// needed for the average since the start to be within both limits.
public actor RateLimiter {
    public let bytesPerSecond: Double?
    public let messagesPerSecond: Double?
    private let started: ContinuousClock.Instant
    private let clock = ContinuousClock()
    private let sleep: @Sendable (Duration) async throws -> Void
    private var bytes: Double = 0
    private var messages: Double = 0

    public init(
        bytesPerSecond: Double? = nil,
        messagesPerSecond: Double? = nil,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.bytesPerSecond = bytesPerSecond
        self.messagesPerSecond = messagesPerSecond
        self.sleep = sleep
        self.started = ContinuousClock().now
    }

    public var isLimited: Bool { bytesPerSecond != nil || messagesPerSecond != nil }

    /// Counts one message of `byteCount` bytes and waits if the job is ahead of its limits.
    public func pace(byteCount: Int) async throws {
        guard isLimited else { return }
        bytes += Double(byteCount)
        messages += 1
        let earliest = max(bytesPerSecond.map { bytes / $0 } ?? 0, messagesPerSecond.map { messages / $0 } ?? 0)
        let elapsed = clock.now - started
        let wait = Duration.seconds(earliest) - elapsed
        if wait > .zero { try await sleep(wait) }
    }
}
