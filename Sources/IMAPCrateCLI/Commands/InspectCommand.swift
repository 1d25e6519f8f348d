import ArgumentParser
import Crate
import Foundation

/// `imapcrate inspect CRATE [--folder NAME]`: what a crate holds.
struct InspectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Show a crate's folders with counts, sizes and date ranges; with --folder, one line per message."
    )

    @Argument(help: ArgumentHelp("The crate directory.", valueName: "crate"))
    var crate: String

    @Option(name: .long, help: ArgumentHelp("List this folder's messages (UID, date, size, flags, subject).", valueName: "name"))
    var folder: String?

    @OptionGroup var global: GlobalOptions

    struct FolderEntry: Encodable {
        var name: String
        var specialUse: String?
        var selectable: Bool
        var subscribed: Bool
        var messages: Int
        var bytes: Int
        var firstDate: String?
        var lastDate: String?
    }

    struct MessageEntry: Encodable {
        var uid: UInt32
        var date: String
        var size: Int
        var flags: [String]
        var messageID: String?
        var subject: String?
    }

    struct CrateEntry: Encodable {
        var crate: String
        var source: String
        var format: String
        var state: String
        var created: Date
        var updated: Date
        var messages: Int
        var bytes: Int
        var folders: [FolderEntry]
    }

    func run() async throws {
        let reader = try CrateReader(at: URL(fileURLWithPath: crate))
        let inspector = CrateInspector(reader: reader)
        if let folder {
            guard let entry = reader.folder(named: folder) else {
                let names = reader.folders.map(\.name).joined(separator: ", ")
                throw CLIError(.usage, "the crate has no folder \"\(folder)\"; it has: \(names)")
            }
            let messages = try inspector.messages(in: entry).map {
                MessageEntry(uid: $0.uid, date: $0.internalDate, size: $0.size, flags: $0.flags, messageID: $0.messageID, subject: $0.subject)
            }
            if global.json { return try Terminal.json(messages) }
            Terminal.out(Format.column("UID", 8) + Format.column("DATE", 28) + Format.column("SIZE", 10, right: true) + "  "
                + Format.column("FLAGS", 20) + "SUBJECT")
            for message in messages {
                Terminal.out(Format.column("\(message.uid)", 8) + Format.column(message.date, 28)
                    + Format.column(Format.bytes(UInt64(message.size)), 10, right: true) + "  "
                    + Format.column(message.flags.joined(separator: " "), 20) + (message.subject ?? ""))
            }
            return
        }
        let summary = try inspector.summary()
        let folders = summary.folders.map {
            FolderEntry(name: $0.name, specialUse: $0.specialUse, selectable: $0.selectable, subscribed: $0.subscribed,
                        messages: $0.messageCount, bytes: $0.bytes, firstDate: $0.firstInternalDate, lastDate: $0.lastInternalDate)
        }
        if global.json {
            return try Terminal.json(CrateEntry(
                crate: crate, source: "\(summary.source.user)@\(summary.source.host)", format: summary.mailFormat.rawValue,
                state: summary.state.rawValue, created: summary.created, updated: summary.updated,
                messages: summary.totals.messages, bytes: summary.totals.bytes, folders: folders))
        }
        Terminal.out("\(crate): \(summary.mailFormat.rawValue) crate of \(summary.source.user)@\(summary.source.host), \(summary.state.rawValue), "
            + "\(summary.totals.messages) messages, \(Format.bytes(UInt64(summary.totals.bytes)))")
        Terminal.out(Format.column("FOLDER", 36) + Format.column("MESSAGES", 9, right: true) + Format.column("SIZE", 11, right: true)
            + "  DATES")
        for folder in folders {
            let dates = folder.firstDate.map { "\($0) … \(folder.lastDate ?? $0)" } ?? ""
            let use = folder.specialUse.map { " (\($0))" } ?? ""
            Terminal.out(Format.column(folder.name + use, 36) + Format.column(folder.selectable ? "\(folder.messages)" : "-", 9, right: true)
                + Format.column(Format.bytes(UInt64(folder.bytes)), 11, right: true) + "  " + dates)
        }
    }
}
