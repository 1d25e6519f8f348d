import Foundation

/// Runs a system tool (gzip, python3) for interoperability tests, through temporary files so a
/// large output can never block the child.
enum ExternalTool {
    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: Data
    }

    static func run(_ arguments: [String], stdin: Data? = nil) throws -> Result {
        let directory = try TemporaryDirectory()
        let inputURL = directory.child("stdin")
        let outputURL = directory.child("stdout")
        let errorURL = directory.child("stderr")
        try (stdin ?? Data()).write(to: inputURL)
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: outputURL)
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: try Data(contentsOf: outputURL),
            stderr: try Data(contentsOf: errorURL))
    }
}
