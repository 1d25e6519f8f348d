import ArgumentParser
import Foundation
import Transfer

/// `imapcrate import CRATE ACCOUNT`: the second phase, crate → IMAP account.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "APPEND a crate into an IMAP account: every folder, message, flag, keyword and date.",
        discussion: """
            Folders are created even when empty and subscriptions restored. Special-use folders \
            (Sent, Drafts, Trash, Junk, Archive) land in the destination's own. Rerunning or \
            resuming never appends a message twice. A report message is put in the destination INBOX.
            """
    )

    @Argument(help: ArgumentHelp("The crate directory.", valueName: "crate"))
    var crate: String

    @Argument(help: ArgumentHelp("The destination account: imaps://USER@HOST[:PORT] (see check).", valueName: "account"))
    var account: String

    @Option(name: .customLong("map"), help: ArgumentHelp("Put crate folder OLD (and its children) into NEW (repeatable).", valueName: "OLD=NEW"))
    var maps: [String] = []

    @Flag(name: .long, help: "Do not map special-use folders to the destination's own; keep every name.")
    var noAutomap = false

    @Flag(name: .long, help: "Show the plan (folders, mapping, counts, what will not transfer) and change nothing.")
    var dryRun = false

    @Flag(name: .long, help: "Do not APPEND the completion report to the destination INBOX.")
    var noReport = false

    @Option(name: .long, help: ArgumentHelp("Journal at least every N messages (default 64).", valueName: "n", visibility: .hidden))
    var commitEvery: Int = 64

    @OptionGroup var transfer: TransferOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var credentials: CredentialOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for map in maps { _ = try FolderMapper.parseMap(map) }
    }

    func run() async throws {
        let account = try connection.account(self.account, secrets: credentials.secrets)
        if transfer.detach && !dryRun {
            try Detacher.detach(account: account.address, kind: "import", global: global,
                                secrets: credentials.secrets.environmentForChild(account.credentials))
        }
        var options = ImportOptions(
            mapper: FolderMapper(explicitMaps: try maps.map(FolderMapper.parseMap), automap: !noAutomap),
            dryRun: dryRun, sendReport: !noReport, connections: transfer.connections(for: account.address), batchSize: max(1, commitEvery)
        )
        options.retry = transfer.retry
        options.rateLimiter = transfer.rateLimiter()
        let state = global.resolvedStateDirectory
        let run: (ProgressTracker) async throws -> ImportSummary = { tracker in
            try await ImportJob(crate: URL(fileURLWithPath: crate), account: account, options: options, stateDirectory: state,
                                tracker: tracker, logger: global.makeLogger(label: "imapcrate.import")).run()
        }
        let summary: ImportSummary
        if dryRun {
            summary = try await run(ProgressTracker(observer: nil, job: nil))
        } else {
            summary = try await JobRunner.run(kind: "import", account: account.address, global: global) { tracker in
                let summary = try await run(tracker)
                return (summary, "\(summary.messagesAppended) messages imported, \(summary.alreadyPresent) already there", summary.skipped.count)
            }
        }
        if global.json {
            try Terminal.json(summary)
        } else if !global.quiet {
            ImportReportPrinter.print(summary)
        }
        if !summary.skipped.isEmpty && !dryRun {
            throw CLIError(.partial, "\(summary.skipped.count) messages were not imported (listed above)")
        }
    }
}

/// Human output of an import or its dry run.
enum ImportReportPrinter {
    static func print(_ summary: ImportSummary) {
        if summary.dryRun { Terminal.out("dry run: nothing was changed at \(summary.destination)") }
        Terminal.out(Format.column("CRATE FOLDER", 30) + Format.column("DESTINATION", 30)
            + Format.column(summary.dryRun ? "TO SEND" : "SENT", 9, right: true)
            + Format.column("SIZE", 11, right: true) + Format.column("PRESENT", 9, right: true) + "  NOTE")
        for folder in summary.folders {
            var note = folder.reason == "name" ? "" : folder.reason
            if folder.created { note += note.isEmpty ? "new folder" : ", new folder" }
            Terminal.out(Format.column(folder.source, 30) + Format.column(folder.destination, 30)
                + Format.column("\(folder.messages)", 9, right: true) + Format.column(Format.bytes(folder.bytes), 11, right: true)
                + Format.column("\(folder.alreadyPresent)", 9, right: true) + "  " + note)
            for line in folder.notes { Terminal.out("    note: \(line)") }
        }
        for (folder, keywords) in summary.droppedKeywords.sorted(by: { $0.key < $1.key }) {
            Terminal.out("keywords the destination would not store in \(folder): \(keywords.joined(separator: " "))")
        }
        for skipped in summary.skipped {
            Terminal.out("skipped: \(skipped.folder) UID \(skipped.uid) (\(Format.bytes(UInt64(skipped.size)))): \(skipped.reason)")
        }
        guard !summary.dryRun else { return }
        Terminal.out("imported \(summary.crate) into \(summary.destination): \(summary.messagesAppended) messages "
            + "(\(Format.bytes(summary.bytesAppended))), \(summary.alreadyPresent) already there, \(summary.skipped.count) skipped, "
            + String(format: "%.1f s", summary.seconds)
            + (summary.reconnections > 0 ? ", \(summary.reconnections) reconnections" : "")
            + (summary.reportSent ? "; report sent to INBOX" : ""))
    }
}
