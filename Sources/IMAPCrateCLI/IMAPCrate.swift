import ArgumentParser
import Foundation

/// The `imapcrate` command tree. `main()` parses, runs, and turns every failure into one
/// line on stderr and a documented exit status.
public struct IMAPCrate: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "imapcrate",
        abstract: "Move mailboxes between IMAP servers, through a verifiable on-disk crate.",
        discussion: """
            Exit status: 0 ok, 1 other failure, 64 usage, 10 cannot connect, 12 TLS failure, \
            16 authentication failed, 20 crate invalid or corrupt, 75 a job for this account is \
            already running, 111 finished but some messages failed.
            """,
        version: "0.1.0",
        subcommands: [ProvidersCommand.self, CheckCommand.self, ExportCommand.self, ImportCommand.self, CopyCommand.self, VerifyCommand.self, InspectCommand.self, StatusCommand.self]
    )

    public init() {}

    /// Entry point of the executable.
    public static func execute() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if let status = ExitStatus(for: error) {
                Terminal.error(ExitStatus.message(for: error))
                Foundation.exit(status.rawValue)
            }
            exit(withError: error)
        }
    }
}
