import Foundation
import Testing
import TestSupport

/// `kill -9` at any moment, then a rerun: nothing lost, nothing doubled. The binary kills
/// itself at its N-th step (`IMAPCRATE_KILL_AT_STEP`, see Transfer's FaultInjection: a message
/// stored, a commit, a journal sync, an APPEND sent or confirmed), for many N.
@Suite("Kill -9 and resume: export and import")
struct TransferKillTests {
    /// 40 messages in two folders, so two connections interleave their steps; five INBOX
    /// messages repeat earlier ones byte for byte (told apart by occurrence, not content).
    static func seedSource(_ server: DovecotServer) throws {
        try server.seed(user: "source", folder: "INBOX", count: 25) {
            .sample(number: $0 % 20, bodySize: 1500 + 97 * ($0 % 20), flags: $0 % 2 == 0 ? [.seen] : [.flagged, .answered],
                    internalDate: Date(timeIntervalSince1970: 1_650_000_000 + Double($0) * 86_400))
        }
        try server.seed(user: "source", folder: "Work/Clients", count: 15) { .sample(number: 100 + $0, bodySize: 800) }
        try server.seed(user: "source", folder: "Empty", messages: [])
    }

    /// Kill points spread over the whole run: an export of the 40 messages with
    /// `--commit-every 3` has about 95 steps (2 per message, 1 per commit), an import about
    /// 108 (per batch of 3: intents synced, 3 APPENDs sent, 3 confirmed, results synced).
    static let exportKillSteps = Array(stride(from: 1, through: 93, by: 4))
    static let importKillSteps = Array(stride(from: 1, through: 106, by: 5))

    /// Iterations run this many at a time (each with its own crate, destination and state
    /// directory), so fsync waits overlap.
    static let width = 3

    static func wasKilled(_ outcome: CommandRunner.Outcome) -> Bool {
        outcome.stderr.contains("imapcrate: killed at step")
    }

    @Test("export killed at ≥ 20 different steps and rerun: the crate verifies and holds exactly the source's messages",
          arguments: ["maildir", "mbox"])
    func exportKilledAndResumed(format: String) async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(users: [.init(name: "source", password: "source-password")])) { server in
            try Self.seedSource(server)
            let expected = try await TransferSnapshot.take(server, user: "source").identities
            #expect(expected.values.reduce(0) { $0 + $1.count } == 40)
            let password = try runner.secretFile("source-password")
            let url = server.plainURL("source")
            let killed = try await forEach(Self.exportKillSteps, width: Self.width) { step in
                let crate = runner.directory.appendingPathComponent("crate-\(step)").path
                let state = runner.directory.appendingPathComponent("state-\(step)").path
                let arguments = ["export", url, crate, "--password-file", password, "--allow-plaintext",
                                 "--format", format, "--commit-every", "3", "--quiet", "--state-dir", state]
                let first = try await runner.run(arguments, environment: ["IMAPCRATE_KILL_AT_STEP": "\(step)"])
                let wasKilled = Self.wasKilled(first)
                #expect(wasKilled || first.status == 0, "step \(step): \(first)")
                // Interrupted, the crate is partial but sound: what it lists verifies.
                let interrupted = try await runner.run(["verify", crate])
                #expect(interrupted.status == 0, "step \(step), before the rerun: \(interrupted)")
                let rerun = try await runner.run(arguments)
                #expect(rerun.status == 0, "step \(step): \(rerun)")
                let verify = try await runner.run(["verify", crate])
                #expect(verify.status == 0, "step \(step): \(verify)")
                let stored = try crateIdentities(URL(fileURLWithPath: crate))
                #expect(transferDifferences(stored, expected: expected) == [], "step \(step): the crate is not the source")
                try? FileManager.default.removeItem(atPath: crate)
                return wasKilled
            }
            #expect(killed >= 20, "only \(killed) runs were killed: the export has fewer steps than the test assumes")
        }
    }

    @Test("import killed at ≥ 20 different steps and rerun: the destination equals the source, no duplicates")
    func importKilledAndResumed() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let destinations = Self.importKillSteps.map { DovecotServer.User(name: "dest\($0)", password: "dest-password") }
        let users = [DovecotServer.User(name: "source", password: "source-password")] + destinations
        try await DovecotServer.withServer(.init(users: users)) { server in
            try Self.seedSource(server)
            let expected = try await TransferSnapshot.take(server, user: "source")
            let sourcePassword = try runner.secretFile("source-password")
            let destinationPassword = try runner.secretFile("dest-password")
            let crate = runner.directory.appendingPathComponent("crate").path
            let export = try await runner.run(["export", server.plainURL("source"), crate, "--password-file", sourcePassword,
                                               "--allow-plaintext", "--quiet"])
            #expect(export.status == 0, "\(export)")

            let killed = try await forEach(Self.importKillSteps, width: Self.width) { step in
                let arguments = ["import", crate, server.plainURL("dest\(step)"), "--password-file", destinationPassword,
                                 "--allow-plaintext", "--no-report", "--commit-every", "3", "--quiet"]
                let first = try await runner.run(arguments, environment: ["IMAPCRATE_KILL_AT_STEP": "\(step)"])
                let wasKilled = Self.wasKilled(first)
                #expect(wasKilled || first.status == 0, "step \(step): \(first)")
                let rerun = try await runner.run(arguments)
                #expect(rerun.status == 0, "step \(step): \(rerun)")
                let copy = try await TransferSnapshot.take(server, user: "dest\(step)")
                #expect(copy.differences(from: expected) == [], "step \(step): the destination is not the source")
                #expect(copy.reports.isEmpty)
                return wasKilled
            }
            #expect(killed >= 20, "only \(killed) runs were killed: the import has fewer steps than the test assumes")
        }
    }

    /// Runs `body` for every step, `width` at a time; returns how many returned true.
    private func forEach(_ steps: [Int], width: Int, _ body: @escaping @Sendable (Int) async throws -> Bool) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            var pending = steps[...]
            var count = 0
            for _ in 0..<width {
                if let step = pending.popFirst() { group.addTask { try await body(step) } }
            }
            while let result = try await group.next() {
                if result { count += 1 }
                if let step = pending.popFirst() { group.addTask { try await body(step) } }
            }
            return count
        }
    }
}

/// The completion report under `kill -9`: whichever step the import dies at, the rerun
/// leaves exactly one report in INBOX.
@Suite("Kill -9 and the completion report")
struct TransferReportKillTests {
    @Test("import killed at every step of a small run, then rerun: exactly one report arrives")
    func reportOnceAfterKill() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        // 3 messages in one folder: intents, 3 sent, 3 confirmed, results (8 steps), then the
        // report's intent and its APPEND.
        let steps = Array(1...11)
        let destinations = steps.map { DovecotServer.User(name: "dest\($0)", password: "dest-password") }
        try await DovecotServer.withServer(.init(users: [.init(name: "source", password: "source-password")] + destinations)) { server in
            try server.seed(user: "source", folder: "INBOX", count: 3) { .sample(number: $0) }
            let crate = runner.directory.appendingPathComponent("crate").path
            let export = try await runner.run(["export", server.plainURL("source"), crate, "--password-file",
                                               try runner.secretFile("source-password"), "--allow-plaintext", "--quiet"])
            #expect(export.status == 0, "\(export)")
            let password = try runner.secretFile("dest-password")
            var killedAtReport: Set<String> = []
            for step in steps {
                let arguments = ["import", crate, server.plainURL("dest\(step)"), "--password-file", password, "--allow-plaintext", "--quiet"]
                let first = try await runner.run(arguments, environment: ["IMAPCRATE_KILL_AT_STEP": "\(step)"])
                #expect(TransferKillTests.wasKilled(first) || first.status == 0, "step \(step): \(first)")
                for label in ["report intent synced", "report appended"] where first.stderr.contains(label) { killedAtReport.insert(label) }
                let rerun = try await runner.run(arguments)
                #expect(rerun.status == 0, "step \(step): \(rerun)")
                let copy = try await TransferSnapshot.take(server, user: "dest\(step)")
                #expect(copy.reports.count == 1, "step \(step): \(copy.reports.count) reports")
                #expect(copy.messageCount == 3, "step \(step)")
                if let report = copy.reports.first {
                    #expect(report.contains("Subject: imapcrate: 3 messages imported from source@127.0.0.1"), "step \(step): \(report)")
                }
            }
            #expect(killedAtReport.count == 2, "runs killed around the report: \(killedAtReport)")
        }
    }
}
