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

    func validate() throws {
        guard (1...32).contains(connections) else { throw ValidationError("--connections must be between 1 and 32.") }
        guard (0...100).contains(maxRetries) else { throw ValidationError("--max-retries must be between 0 and 100.") }
    }

    var retry: RetryPolicy { RetryPolicy(maxRetries: maxRetries) }
}
