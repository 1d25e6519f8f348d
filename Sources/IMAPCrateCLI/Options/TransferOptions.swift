import ArgumentParser
import Transfer

/// Options of commands that move messages.
struct TransferOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("IMAP connections to use in parallel (default 4).", valueName: "n"))
    var connections: Int = 4

    @Flag(name: .long, help: "Start the job in the background, print how to follow it, and return.")
    var detach = false

    @Option(name: .long, help: ArgumentHelp("Reconnect at most N times per connection after drops, stalls or throttling (default 5).", valueName: "n"))
    var maxRetries: Int = 5

    @Option(name: .long, help: ArgumentHelp("Stay under this many bytes per second on average (providers with daily quotas).", valueName: "n"))
    var maxBytesPerSecond: Int?

    @Option(name: .long, help: ArgumentHelp("Stay under this many messages per second on average.", valueName: "n"))
    var maxMessagesPerSecond: Double?

    func validate() throws {
        if let maxBytesPerSecond, maxBytesPerSecond < 1 { throw ValidationError("--max-bytes-per-second must be positive.") }
        if let maxMessagesPerSecond, maxMessagesPerSecond <= 0 { throw ValidationError("--max-messages-per-second must be positive.") }
        guard (1...32).contains(connections) else { throw ValidationError("--connections must be between 1 and 32.") }
        guard (0...100).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 100.") }
    }

    /// `--connections`, capped by the provider presets of the accounts involved.
    func connections(for addresses: AccountAddress...) -> Int {
        addresses.compactMap { address in
            let preset = address.provider.flatMap(ProviderPreset.named)
                ?? ProviderPreset.all.first { $0.host?.lowercased() == address.host.lowercased() }
            return preset?.maxConnections
        }.reduce(connections, min)
    }

    var retry: RetryPolicy { RetryPolicy(maxRetries: maxRetries) }

    func rateLimiter() -> RateLimiter {
        RateLimiter(bytesPerSecond: maxBytesPerSecond.map(Double.init), messagesPerSecond: maxMessagesPerSecond)
    }
}
