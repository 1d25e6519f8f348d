import ArgumentParser
import Crate
import Foundation

/// `imapcrate verify CRATE`: recompute every hash and cross-check manifest, indexes and data.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a crate: every message's SHA-256 and size, and manifest, index and files against each other.",
        discussion: "Exit status 0 when the crate is sound, 20 when anything is wrong (each problem is named)."
    )

    @Argument(help: ArgumentHelp("The crate directory.", valueName: "crate"))
    var crate: String

    @OptionGroup var global: GlobalOptions

    struct Result: Encodable {
        var crate: String
        var valid: Bool
        var folders: Int
        var messages: Int
        var bytes: Int
        var problems: [Problem]
    }

    struct Problem: Encodable {
        var kind: String
        var severity: String
        var folder: String?
        var uid: UInt32?
        var path: String?
        var message: String
    }

    func run() async throws {
        let report = try CrateVerifier(url: URL(fileURLWithPath: crate)).verify()
        let problems = report.problems.map {
            Problem(kind: $0.kind.rawValue, severity: $0.severity.rawValue, folder: $0.folder, uid: $0.uid, path: $0.path, message: $0.message)
        }
        if global.json {
            try Terminal.json(Result(crate: crate, valid: report.isValid, folders: report.foldersChecked,
                                     messages: report.messagesChecked, bytes: report.bytesChecked, problems: problems))
        } else {
            for problem in report.problems where !global.quiet || problem.severity == .error {
                Terminal.out("\(problem.severity): \(problem)")
            }
            if !global.quiet {
                let verdict = report.isValid ? "OK" : "INVALID (\(report.errors.count) problems)"
                Terminal.out("\(crate): \(verdict): \(report.foldersChecked) folders, \(report.messagesChecked) messages, "
                    + "\(Format.bytes(UInt64(report.bytesChecked))) checked")
            }
        }
        if !report.isValid {
            throw CLIError(.crateInvalid, "\(crate) failed verification: \(report.errors.count) problems (listed above)")
        }
    }
}
