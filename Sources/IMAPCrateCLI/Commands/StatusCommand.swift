import ArgumentParser
import Foundation
import Transfer

/// `imapcrate status [ACCOUNT]`: the seed service's status lookup.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show jobs: not-started, running (with progress), finished or failed.",
        discussion: "Without ACCOUNT, every job the state directory knows about."
    )

    @Argument(help: ArgumentHelp("Only this account (same forms as for check).", valueName: "account"))
    var account: String?

    @Option(name: .long, help: ArgumentHelp("Preset for a bare address.", valueName: "name"))
    var provider: String?

    @OptionGroup var global: GlobalOptions

    func run() async throws {
        let key = try account.map { try AccountAddress.parse($0, provider: provider).key }
        let statuses = JobDirectory.statuses(in: global.resolvedStateDirectory, account: key)
        if global.json {
            try Terminal.json(statuses)
            return
        }
        if statuses.isEmpty {
            Terminal.out("no jobs yet")
            return
        }
        for status in statuses {
            Terminal.out(Self.describe(status))
        }
    }

    static func describe(_ status: JobStatus) -> String {
        switch status.state {
        case .notStarted:
            return "\(status.account): not-started"
        case .running:
            let folder = status.folder.map { ", folder \($0)" } ?? ""
            return "\(status.account): running \(status.kind) (pid \(status.pid)), \(status.phase)\(folder): "
                + "\(status.messagesDone) of \(status.messagesTotal) messages, "
                + "\(Format.bytes(status.bytesDone)) of \(Format.bytes(status.bytesTotal)), \(Format.bytes(UInt64(status.rate)))/s"
        case .finished:
            return "\(status.account): finished \(status.kind): \(status.summary ?? "")"
        case .failed:
            return "\(status.account): failed \(status.kind): \(status.summary ?? "")"
        }
    }
}
