import ArgumentParser
import Crate
import Foundation
import Transfer

/// `imapcrate export ACCOUNT CRATE`: the first phase, IMAP account → crate.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Stream an IMAP account into a crate (gzip Maildir or mbox plus a manifest).",
        discussion: """
            Folders are opened read-only: nothing on the server changes, \\Seen included. Run it \
            again on the same crate to fetch only what is new; an interrupted export resumes.
            """
    )

    @Argument(help: ArgumentHelp("The source account: imaps://USER@HOST[:PORT] (see check).", valueName: "account"))
    var account: String

    @Argument(help: ArgumentHelp("The crate directory (created if missing).", valueName: "crate"))
    var crate: String

    @Option(name: .long, help: "maildir (default; one gzip file per message) or mbox (one gzip mbox per folder).")
    var format: MailFormat = .maildir

    @Option(name: .customLong("folder"), help: ArgumentHelp("Only folders matching this glob (repeatable).", valueName: "glob"))
    var folders: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip folders matching this glob (repeatable).", valueName: "glob"))
    var excludes: [String] = []

    @Option(name: .long, help: ArgumentHelp("Make the crate durable at least every N messages (default 1000).", valueName: "n", visibility: .hidden))
    var commitEvery: Int = 1000

    @OptionGroup var compression: CompressionOptions
    @OptionGroup var transfer: TransferOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let account = try connection.account(self.account, secrets: credentials.secrets)
        if transfer.detach {
            try Detacher.detach(account: account.address, kind: "export", global: global,
                                secrets: credentials.secrets.environmentForChild(account.credentials))
        }
        var options = ExportOptions(format: format, compression: compression.settings, filter: FolderFilter(include: folders, exclude: excludes))
        options.connections = transfer.connections(for: account.address)
        options.retry = transfer.retry
        options.rateLimiter = transfer.rateLimiter()
        options.commitEveryMessages = max(1, commitEvery)
        let summary = try await JobRunner.run(kind: "export", account: account.address, global: global) { tracker in
            let job = ExportJob(account: account, crate: URL(fileURLWithPath: crate), options: options, tracker: tracker,
                                logger: global.makeLogger(label: "imapcrate.export"))
            let summary = try await job.run()
            let result = "\(summary.messagesFetched) messages fetched (\(Format.bytes(summary.bytesFetched))), \(summary.messagesInCrate) in the crate"
            return (summary, result, summary.failed.count)
        }
        if global.json {
            try Terminal.json(summary)
        } else if !global.quiet {
            Terminal.out("exported \(account.address.url) to \(summary.crate): \(summary.folders) folders, "
                + "\(summary.messagesFetched) new messages (\(Format.bytes(summary.bytesFetched))), "
                + "\(summary.messagesAlreadyPresent) already in the crate, \(summary.messagesInCrate) in all, "
                + String(format: "%.1f s", summary.seconds)
                + (summary.reconnections > 0 ? ", \(summary.reconnections) reconnections" : ""))
            for failure in summary.failed {
                Terminal.out("  failed: \(failure.folder) UID \(failure.uid): \(failure.reason)")
            }
        }
        if !summary.failed.isEmpty {
            throw CLIError(.partial, "\(summary.failed.count) messages could not be exported (listed above); run export again to retry them")
        }
    }
}

extension MailFormat: ExpressibleByArgument {}
