import Foundation
import Testing
import TestSupport

/// Jobs as the seed service shows them: a status lookup that says not-started, running,
/// finished or failed; background jobs; a killed job that does not block the next run; and
/// `copy` streaming messages to the destination while the export still runs.
@Suite("Jobs: status, --detach, crashed jobs, copy")
struct JobCommandTests {
    static let bob = DovecotServer.User(name: "bob", password: "bob-password")

    struct Accounts {
        var source: String
        var destination: String
        var ca: String
        var alicePassword: String
        var bobPassword: String
    }

    static func accounts(_ server: DovecotServer, _ runner: CommandRunner) throws -> Accounts {
        let port = try #require(server.tlsPort)
        return Accounts(
            source: "imaps://alice@127.0.0.1:\(port)", destination: "imaps://bob@127.0.0.1:\(port)",
            ca: try #require(server.caCertificatePath),
            alicePassword: try runner.secretFile("alice-password"), bobPassword: try runner.secretFile("bob-password"))
    }

    static func statusJSON(_ runner: CommandRunner, _ account: String) async throws -> [String: Any] {
        let outcome = try await runner.run(["status", account, "--json"])
        #expect(outcome.status == 0, "\(outcome)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [[String: Any]])
        return try #require(list.first)
    }

    @Test("status says not-started, then a detached export runs and finishes with the right counts")
    func detachedExport() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(tls: true)) { server in
            try server.seed(user: "alice", folder: "INBOX", count: 40) { .sample(number: $0, bodySize: 4000) }
            let accounts = try Self.accounts(server, runner)
            #expect(try await Self.statusJSON(runner, accounts.source)["state"] as? String == "not-started")
            let human = try await runner.run(["status", accounts.source])
            #expect(human.stdout.contains("not-started"), "\(human)")

            let crate = runner.directory.appendingPathComponent("alice.crate").path
            let detached = try await runner.run([
                "export", accounts.source, crate, "--password-file", accounts.alicePassword, "--ca-file", accounts.ca,
                "--detach", "--max-messages-per-second", "8",
            ])
            #expect(detached.status == 0, "\(detached)")
            #expect(detached.stdout.contains("started in the background"), "\(detached)")
            let running = try await Self.statusJSON(runner, accounts.source)
            #expect(running["state"] as? String == "running", "\(running)")
            #expect(running["kind"] as? String == "export")

            var finished: [String: Any] = [:]
            for _ in 0..<300 {
                finished = try await Self.statusJSON(runner, accounts.source)
                if finished["state"] as? String != "running" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(finished["state"] as? String == "finished", "\(finished)")
            #expect(finished["messagesDone"] as? Int == 40)
            #expect(finished["messagesTotal"] as? Int == 40)
            let verify = try await runner.run(["verify", crate])
            #expect(verify.status == 0, "\(verify)")
        }
    }

    @Test("a job killed with SIGKILL shows as failed and does not block the next run, which completes")
    func killedJob() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(tls: true)) { server in
            try server.seed(user: "alice", folder: "INBOX", count: 20) { .sample(number: $0) }
            let accounts = try Self.accounts(server, runner)
            let crate = runner.directory.appendingPathComponent("alice.crate").path
            let arguments = ["export", accounts.source, crate, "--password-file", accounts.alicePassword, "--ca-file", accounts.ca,
                             "--commit-every", "5"]
            let killed = try await runner.run(arguments, environment: ["IMAPCRATE_KILL_AT_STEP": "12"])
            #expect(killed.status == 9 || killed.status == 137 || killed.status == -9, "\(killed)")
            let status = try await Self.statusJSON(runner, accounts.source)
            #expect(status["state"] as? String == "failed", "\(status)")
            #expect((status["summary"] as? String)?.contains("stopped before finishing") == true, "\(status)")

            let rerun = try await runner.run(arguments)
            #expect(rerun.status == 0, "\(rerun)")
            #expect(try await Self.statusJSON(runner, accounts.source)["state"] as? String == "finished")
            let inspect = try await runner.run(["inspect", crate, "--json"])
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(inspect.stdout.utf8)) as? [String: Any])
            #expect(summary["messages"] as? Int == 20, "\(inspect)")
        }
    }

    @Test("copy moves every folder and message, appends before the export ends, and a rerun adds nothing")
    func copy() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(users: [.alice, Self.bob], tls: true)) { server in
            try server.seed(user: "alice", folder: "INBOX", count: 120) { .sample(number: $0, bodySize: 3000) }
            try server.seed(user: "alice", folder: "Archive/2024", count: 30) { .sample(number: 1000 + $0, flags: [.seen]) }
            try server.seed(user: "alice", folder: "Empty", messages: [])
            let accounts = try Self.accounts(server, runner)
            let arguments = [
                "copy", accounts.source, accounts.destination, "--source-password-file", accounts.alicePassword,
                "--dest-password-file", accounts.bobPassword, "--ca-file", accounts.ca, "--json",
            ]
            // Slowed so the export visibly overlaps the import (no timing is asserted).
            let first = try await runner.run(arguments + ["--max-messages-per-second", "30"], timeout: .seconds(120))
            #expect(first.status == 0, "\(first)")
            let summary = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
            let imported = try #require(summary["import"] as? [String: Any])
            #expect(imported["messagesAppended"] as? Int == 150)
            #expect((imported["messagesAppendedDuringExport"] as? Int ?? 0) > 0, "\(imported)")
            #expect(imported["reportSent"] as? Bool == true)
            #expect(summary["crateKept"] as? Bool == false)

            let second = try await runner.run(arguments)
            #expect(second.status == 0, "\(second)")
            let again = try #require(try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
            #expect((again["import"] as? [String: Any])?["messagesAppended"] as? Int == 0, "\(second)")

            let check = try await runner.run(["check", accounts.destination, "--password-file", accounts.bobPassword, "--ca-file", accounts.ca, "--json"])
            let report = try #require(try JSONSerialization.jsonObject(with: Data(check.stdout.utf8)) as? [String: Any])
            let folders = try #require(report["folders"] as? [[String: Any]])
            func count(_ name: String) -> Int? { folders.first { $0["name"] as? String == name }?["messages"] as? Int }
            #expect(count("INBOX") == 121, "120 messages and one report: \(check)")
            #expect(count("Archive/2024") == 30)
            #expect(count("Empty") == 0)
        }
    }
}
