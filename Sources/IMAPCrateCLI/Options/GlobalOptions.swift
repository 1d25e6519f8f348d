import ArgumentParser
import Foundation
import Logging

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Where job state, locks and journals live (env IMAPCRATE_STATE_DIR; default $XDG_STATE_HOME/imapcrate).", valueName: "dir"))
    var stateDir: String?

    @Flag(name: .long, help: "Print a machine-readable JSON result on stdout.")
    var json = false

    @Flag(name: .long, help: "Print only errors.")
    var quiet = false

    @Flag(name: .long, help: "Print more detail, including a protocol trace with secrets redacted.")
    var verbose = false

    func validate() throws {
        if quiet && verbose { throw ValidationError("--quiet and --verbose cannot be used together.") }
    }

    /// The state directory: --state-dir, IMAPCRATE_STATE_DIR, $XDG_STATE_HOME/imapcrate, ~/.local/state/imapcrate.
    var resolvedStateDirectory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let stateDir { return URL(fileURLWithPath: stateDir) }
        if let fromEnvironment = environment["IMAPCRATE_STATE_DIR"], !fromEnvironment.isEmpty {
            return URL(fileURLWithPath: fromEnvironment)
        }
        if let xdg = environment["XDG_STATE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg).appendingPathComponent("imapcrate")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return URL(fileURLWithPath: home).appendingPathComponent(".local/state/imapcrate")
    }

    /// A logger writing to stderr at the level the flags ask for.
    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { StderrLogHandler(label: $0) }
        logger.logLevel = verbose ? .trace : (quiet ? .error : .warning)
        return logger
    }
}
