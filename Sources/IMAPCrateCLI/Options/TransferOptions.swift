import ArgumentParser

/// Options of commands that move messages.
struct TransferOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("IMAP connections to use in parallel (default 4).", valueName: "n"))
    var connections: Int = 4

    @Flag(name: .long, help: "Start the job in the background, print how to follow it, and return.")
    var detach = false

    func validate() throws {
        guard (1...32).contains(connections) else { throw ValidationError("--connections must be between 1 and 32.") }
    }
}
