import Foundation
import Testing
import TestSupport

/// The exit statuses DESIGN.md documents that the check tests do not already produce, each
/// from a real scenario, each with exactly one `imapcrate: error:` line.
@Suite("Exit statuses")
struct ExitStatusTests {
    static func expectOneErrorLine(_ outcome: CommandRunner.Outcome, status: Int32, mentioning text: String) {
        #expect(outcome.status == status, "\(outcome)")
        let errors = outcome.stderrLines.filter { $0.hasPrefix("imapcrate: error: ") }
        #expect(errors.count == 1, "\(outcome)")
        #expect(errors.first?.contains(text) == true, "\(outcome)")
    }

    @Test("1: a crate that cannot be written (its parent is a file); 20: importing a directory that is not a crate, and a tampered crate; 75: a second job while one runs; 64: a bad option")
    func statuses() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(tls: true)) { server in
            try server.seed(user: "alice", folder: "INBOX", count: 12) { .sample(number: $0) }
            let account = "imaps://alice@127.0.0.1:\(try #require(server.tlsPort))"
            let common = ["--ca-file", try #require(server.caCertificatePath), "--password-file", try runner.secretFile("alice-password")]
            let aFile = runner.directory.appendingPathComponent("plain-file")
            try Data("x".utf8).write(to: aFile)

            let unwritable = try await runner.run(["export", account, aFile.appendingPathComponent("alice.crate").path] + common)
            Self.expectOneErrorLine(unwritable, status: 1, mentioning: "plain-file")

            let notACrate = runner.directory.appendingPathComponent("not-a-crate")
            try FileManager.default.createDirectory(at: notACrate, withIntermediateDirectories: true)
            try Data("hello".utf8).write(to: notACrate.appendingPathComponent("notes.txt"))
            let importing = try await runner.run(["import", notACrate.path, account] + common)
            Self.expectOneErrorLine(importing, status: 20, mentioning: "not-a-crate")

            let crate = runner.directory.appendingPathComponent("alice.crate")
            let exported = try await runner.run(["export", account, crate.path] + common)
            #expect(exported.status == 0, "\(exported)")
            let manifest = crate.appendingPathComponent("manifest.json")
            var text = try String(contentsOf: manifest, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"formatVersion\" : 1", with: "\"formatVersion\" : 99")
                .replacingOccurrences(of: "\"formatVersion\":1", with: "\"formatVersion\":99")
            try text.write(to: manifest, atomically: true, encoding: .utf8)
            let tampered = try await runner.run(["verify", crate.path])
            Self.expectOneErrorLine(tampered, status: 20, mentioning: crate.lastPathComponent)

            let slow = try await runner.run(["export", account, runner.directory.appendingPathComponent("slow.crate").path, "--detach",
                                             "--max-messages-per-second", "2"] + common)
            #expect(slow.status == 0, "\(slow)")
            let second = try await runner.run(["export", account, runner.directory.appendingPathComponent("other.crate").path] + common)
            Self.expectOneErrorLine(second, status: 75, mentioning: "already running")
            // Let the background job end before the server stops.
            for _ in 0..<200 {
                let status = try await runner.run(["status", account])
                if !status.stdout.contains("running") { break }
                try await Task.sleep(for: .milliseconds(100))
            }

            let usage = try await runner.run(["export", account, crate.path, "--connections", "0"] + common)
            #expect(usage.status == 64, "\(usage)")
        }
    }
}
