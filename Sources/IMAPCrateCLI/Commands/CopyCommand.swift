import ArgumentParser
import Foundation
import Transfer

/// `imapcrate copy SOURCE DEST`: both phases at once, the seed service's "Synchronise".
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy a whole account to another server: export and import at once, streamed.",
        discussion: """
            Messages reach the destination while the export goes on. Interrupted, it resumes where \
            it stopped without duplicating anything. Passwords: --source-password-file / \
            --dest-password-file, or IMAPCRATE_SOURCE_PASSWORD / IMAPCRATE_DEST_PASSWORD.
            """
    )

    @Argument(help: ArgumentHelp("The source account: imaps://USER@HOST[:PORT].", valueName: "source"))
    var source: String

    @Argument(help: ArgumentHelp("The destination account: imaps://USER@HOST[:PORT].", valueName: "dest"))
    var destination: String

    @Option(name: .long, help: ArgumentHelp("Keep the crate in DIR (a backup of the source); otherwise it is removed after success.", valueName: "dir"))
    var keepCrate: String?

    @Option(name: .customLong("map"), help: ArgumentHelp("Put source folder OLD (and its children) into NEW (repeatable).", valueName: "OLD=NEW"))
    var maps: [String] = []

    @Flag(name: .long, help: "Do not map special-use folders to the destination's own.")
    var noAutomap = false

    @Flag(name: .long, help: "Do not APPEND the completion report to the destination INBOX.")
    var noReport = false

    @Option(name: .customLong("folder"), help: ArgumentHelp("Only folders matching this glob (repeatable).", valueName: "glob"))
    var folders: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip folders matching this glob (repeatable).", valueName: "glob"))
    var excludes: [String] = []

    @Option(name: .long, help: ArgumentHelp("Preset for the source (see providers).", valueName: "name"))
    var sourceProvider: String?

    @Option(name: .long, help: ArgumentHelp("Preset for the destination.", valueName: "name"))
    var destProvider: String?

    @Option(name: .long, help: ArgumentHelp("Read the source password from this file.", valueName: "path"))
    var sourcePasswordFile: String?

    @Option(name: .long, help: ArgumentHelp("Read the destination password from this file.", valueName: "path"))
    var destPasswordFile: String?

    @Option(name: .long, help: ArgumentHelp("Source OAuth2 access token file.", valueName: "path"))
    var sourceOauth2TokenFile: String?

    @Option(name: .long, help: ArgumentHelp("Destination OAuth2 access token file.", valueName: "path"))
    var destOauth2TokenFile: String?

    @OptionGroup var compression: CompressionOptions
    @OptionGroup var transfer: TransferOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var global: GlobalOptions

    func validate() throws {
        for map in maps { _ = try FolderMapper.parseMap(map) }
        if connection.provider != nil {
            throw ValidationError("copy takes --source-provider and --dest-provider instead of --provider.")
        }
    }

    func run() async throws {
        var sourceOptions = connection
        sourceOptions.provider = sourceProvider
        var destOptions = connection
        destOptions.provider = destProvider
        let sourceSecrets = SecretOptions(
            passwordFile: sourcePasswordFile, oauth2TokenFile: sourceOauth2TokenFile, oauth2TokenCommand: nil,
            environmentVariable: "IMAPCRATE_SOURCE_PASSWORD", role: "source ")
        let destSecrets = SecretOptions(
            passwordFile: destPasswordFile, oauth2TokenFile: destOauth2TokenFile, oauth2TokenCommand: nil,
            environmentVariable: "IMAPCRATE_DEST_PASSWORD", role: "destination ")
        let source = try sourceOptions.account(self.source, secrets: sourceSecrets)
        let destination = try destOptions.account(self.destination, secrets: destSecrets)
        if source.address.key == destination.address.key {
            throw CLIError(.usage, "source and destination are the same account (\(source.address.url))")
        }
        if transfer.detach {
            try Detacher.detach(account: source.address, kind: "copy", global: global,
                                secrets: sourceSecrets.environmentForChild(source.credentials).merging(
                                    destSecrets.environmentForChild(destination.credentials)) { first, _ in first })
        }
        let state = global.resolvedStateDirectory
        let crate = keepCrate.map { URL(fileURLWithPath: $0) }
            ?? CopyJob.workingCrate(source: source.address, destination: destination.address, stateDirectory: state)
        // The working crate is removed after success: compressing it would only cost time, and
        // mbox (one file per folder) spares the file system a file per message, created and
        // then deleted. A kept crate is the usual Maildir one.
        var exportOptions = ExportOptions(
            format: keepCrate == nil ? .mbox : .maildir, compression: keepCrate == nil ? .none : compression.settings,
            filter: FolderFilter(include: folders, exclude: excludes))
        exportOptions.connections = transfer.connections(for: source.address)
        exportOptions.retry = transfer.retry
        var importOptions = ImportOptions(
            mapper: FolderMapper(explicitMaps: try maps.map(FolderMapper.parseMap), automap: !noAutomap),
            sendReport: !noReport, connections: transfer.connections(for: destination.address))
        importOptions.retry = transfer.retry
        exportOptions.rateLimiter = transfer.rateLimiter()
        let destLock = try JobLock.acquire(account: destination.address.key, kind: "copy", stateDirectory: state)
        let summary: CopyJob.Summary
        do {
            summary = try await JobRunner.run(kind: "copy", account: source.address, global: global) { tracker in
                let job = CopyJob(source: source, destination: destination, crate: crate, keepCrate: keepCrate != nil,
                                  exportOptions: exportOptions, importOptions: importOptions, stateDirectory: state,
                                  tracker: tracker, logger: global.makeLogger(label: "imapcrate.copy"))
                let summary = try await job.run()
                let failures = summary.export.failed.count + summary.import.skipped.count
                return (summary, "\(summary.import.messagesAppended) messages copied, \(summary.import.alreadyPresent) already there", failures)
            }
            destLock.release(state: .finished, summary: "copy from \(source.address.url): \(summary.import.messagesAppended) messages")
        } catch {
            destLock.release(state: .failed, summary: "\(error)")
            throw error
        }
        if global.json {
            try Terminal.json(summary)
        } else if !global.quiet {
            ImportReportPrinter.print(summary.import)
            for failure in summary.export.failed {
                Terminal.out("failed at the source: \(failure.folder) UID \(failure.uid): \(failure.reason)")
            }
            if summary.crateKept { Terminal.out("crate kept at \(crate.path)") }
        }
        let failures = summary.export.failed.count + summary.import.skipped.count
        if failures > 0 {
            throw CLIError(.partial, "\(failures) messages were not copied (listed above); run copy again to retry them")
        }
    }
}
