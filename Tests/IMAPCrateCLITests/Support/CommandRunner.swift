import Foundation

/// Runs the built `imapcrate` binary as a user would, capturing its output and exit status.
///
/// The binary is looked up next to the test bundle (SwiftPM puts every product of a package
/// in one build directory), or taken from `IMAPCRATE_BINARY`. The child gets no standard
/// input, a private state directory, and none of the caller's `IMAPCRATE_*` variables.
struct CommandRunner {
    /// What one run left behind.
    struct Outcome: CustomStringConvertible {
        var status: Int32
        var stdout: String
        var stderr: String

        /// Non-empty lines of stderr.
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init) }

        var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
    }

    let binary: URL
    /// A scratch directory for this runner: state directory, password files, outputs.
    let directory: URL

    init() throws {
        binary = try Self.locateBinary()
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("imapcrate-cli-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o700])
    }

    /// Removes the scratch directory.
    func cleanUp() {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Writes `secret` (and a line break, as editors do) to a new 0600 file and returns its path.
    func secretFile(_ secret: String) throws -> String {
        let url = directory.appendingPathComponent("secret-\(UUID().uuidString.prefix(8))")
        guard FileManager.default.createFile(atPath: url.path, contents: Data((secret + "\n").utf8),
                                             attributes: [.posixPermissions: 0o600]) else {
            throw RunnerError("cannot write \(url.path)")
        }
        return url.path
    }

    /// Runs `imapcrate arguments…` with `environment` added, in a new session without a
    /// controlling terminal when `detachFromTerminal` (so a password prompt is impossible).
    /// Kills the child (by its PID) if it runs longer than `timeout`.
    func run(_ arguments: [String], environment: [String: String] = [:], detachFromTerminal: Bool = false,
             timeout: Duration = .seconds(60)) async throws -> Outcome {
        let process = Process()
        if detachFromTerminal {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setsid")
            process.arguments = ["--wait", binary.path] + arguments
        } else {
            process.executableURL = binary
            process.arguments = arguments
        }
        var inherited = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("IMAPCRATE_") }
        inherited["IMAPCRATE_STATE_DIR"] = directory.appendingPathComponent("state").path
        inherited["NO_COLOR"] = "1"
        process.environment = inherited.merging(environment) { _, new in new }

        let name = UUID().uuidString.prefix(8)
        let stdoutURL = directory.appendingPathComponent("stdout-\(name)")
        let stderrURL = directory.appendingPathComponent("stderr-\(name)")
        for url in [stdoutURL, stderrURL] { FileManager.default.createFile(atPath: url.path, contents: nil) }
        let stdoutHandle = try FileHandle(forWritingTo: stdoutURL)
        let stderrHandle = try FileHandle(forWritingTo: stderrURL)
        defer {
            try? stdoutHandle.close()
            try? stderrHandle.close()
        }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdoutHandle
        process.standardError = stderrHandle
        let watchdog = Watchdog(process: process, timeout: timeout)
        defer { watchdog.task.cancel() }

        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        return Outcome(
            status: status,
            stdout: (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
        )
    }

    /// `IMAPCRATE_BINARY`, else `imapcrate` in the directory of the running test bundle or
    /// one of its parents (`.build/<triple>/debug`), else `<package>/.build/debug/imapcrate`.
    static func locateBinary() throws -> URL {
        let manager = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["IMAPCRATE_BINARY"], manager.isExecutableFile(atPath: explicit) {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        let executable = URL(fileURLWithPath: (try? manager.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).standardizedFileURL
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            candidates.append(directory.appendingPathComponent("imapcrate"))
            directory = directory.deletingLastPathComponent()
        }
        candidates.append(Bundle.main.bundleURL.appendingPathComponent("imapcrate"))
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(package.appendingPathComponent(".build/debug/imapcrate"))
        for candidate in candidates {
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               manager.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw RunnerError("no imapcrate binary found (looked at \(candidates.map(\.path).joined(separator: ", "))); build the package first or set IMAPCRATE_BINARY")
    }
}

/// Kills a child that outlives its time limit, by its own PID.
private struct Watchdog {
    let task: Task<Void, Never>

    init(process: Process, timeout: Duration) {
        let box = UncheckedProcess(process: process)
        task = Task {
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled, box.process.isRunning else { return }
            kill(box.process.processIdentifier, SIGKILL)
        }
    }

    private struct UncheckedProcess: @unchecked Sendable { let process: Process }
}

/// The runner could not do its job.
struct RunnerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
