import Crate
import Foundation
import Testing
import TestSupport
import Transfer

/// The exit statuses scripts rely on for transfers: 111 when some messages could not be
/// imported (each named), 20 when the crate is corrupt, 75 when a job already holds the
/// account.
@Suite("Transfer exit statuses: 111, 20, 75")
struct TransferExitCodeTests {
    static let users = [DovecotServer.User(name: "source", password: "source-password"),
                        DovecotServer.User(name: "dest", password: "dest-password")]

    @Test("a damaged crate message: verify exits 20 naming it; import skips it, names it, exits 111, and the rest arrive")
    func damagedMessage() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(users: Self.users)) { server in
            try server.seed(user: "source", folder: "INBOX", count: 6) { .sample(number: $0, bodySize: 3000, flags: [.seen]) }
            let source = try await TransferSnapshot.take(server, user: "source")
            let crate = runner.directory.appendingPathComponent("crate")
            let export = try await runner.run(["export", server.plainURL("source"), crate.path, "--password-file",
                                               try runner.secretFile("source-password"), "--allow-plaintext"])
            #expect(export.status == 0, "\(export)")

            let reader = try CrateReader(at: crate)
            let inbox = try #require(reader.folder(named: "INBOX"))
            let victim = try #require(try reader.records(in: inbox).first { $0.uid == 3 })
            guard case .file(let relative) = victim.location else { throw RunnerError("a Maildir crate stores files") }
            try flipMiddleByte(crate.appendingPathComponent(inbox.location).appendingPathComponent(relative))

            let verify = try await runner.run(["verify", crate.path])
            #expect(verify.status == 20, "\(verify)")
            #expect((verify.stdout + verify.stderr).contains("UID 3"), "\(verify)")

            let imported = try await runner.run(["import", crate.path, server.plainURL("dest"), "--password-file",
                                                 try runner.secretFile("dest-password"), "--allow-plaintext", "--no-report"])
            #expect(imported.status == 111, "\(imported)")
            #expect(imported.stdout.contains("skipped: INBOX UID 3 "), "\(imported)")
            #expect(!imported.stderr.isEmpty, "a one-line error on stderr")
            let copy = try await TransferSnapshot.take(server, user: "dest")
            let expected = source.folders["INBOX"]?.filter { $0.sha256 != victim.sha256 }.map(\.content).sorted()
            #expect(copy.contents["INBOX"] == expected)
            #expect(copy.messageCount == 5)
        }
    }

    @Test("while a job holds the destination's lock, import exits 75 with one line naming that job; after, it runs")
    func lockedAccount() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(users: Self.users)) { server in
            try server.seed(user: "source", folder: "INBOX", count: 3) { .sample(number: $0) }
            let crate = runner.directory.appendingPathComponent("crate").path
            let export = try await runner.run(["export", server.plainURL("source"), crate, "--password-file",
                                               try runner.secretFile("source-password"), "--allow-plaintext"])
            #expect(export.status == 0, "\(export)")

            let state = runner.directory.appendingPathComponent("state")
            let account = AccountAddress(user: "dest", host: server.host, port: server.plainPort, security: .startTLS)
            let holder = try JobLock.acquire(account: account.key, kind: "import", stateDirectory: state)
            holder.update(force: true) {
                $0.messagesTotal = 40
                $0.messagesDone = 7
            }
            let arguments = ["import", crate, server.plainURL("dest"), "--password-file", try runner.secretFile("dest-password"),
                             "--allow-plaintext", "--no-report"]
            let refused = try await runner.run(arguments)
            #expect(refused.status == 75, "\(refused)")
            let lines = refused.stderrLines.filter { $0.contains("already running") }
            #expect(lines.count == 1, "\(refused)")
            let line = lines.first ?? ""
            #expect(line.contains("pid \(getpid())") && line.contains("import") && line.contains("7 of 40"), "\(line)")
            #expect(try await TransferSnapshot.take(server, user: "dest").messageCount == 0, "the refused job changed the destination")

            holder.release(state: .finished, summary: "done")
            let after = try await runner.run(arguments)
            #expect(after.status == 0, "\(after)")
            #expect(try await TransferSnapshot.take(server, user: "dest").messageCount == 3)
        }
    }

    /// XORs the byte in the middle of `file` (inside a gzip file's deflate data).
    private func flipMiddleByte(_ file: URL) throws {
        var data = try Data(contentsOf: file)
        data[data.count / 2] ^= 0x01
        try data.write(to: file)
    }
}
