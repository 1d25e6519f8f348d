import Foundation
import Testing
import TestSupport

/// `imapcrate check ACCOUNT`, run as a binary against a real Dovecot.
@Suite("imapcrate check")
struct CheckCommandTests {
    static let inbox: [SeedMessage] = [.sample(number: 1), .sample(number: 2, flags: [.seen]), .sample(number: 3, bodySize: 5000)]
    static let projects: [SeedMessage] = [.sample(number: 10), .sample(number: 11, bodySize: 2048)]

    /// INBOX with 3 messages, Projects/2024 with 2, Empty with none.
    static func seed(_ server: DovecotServer) throws {
        try server.seed(user: "alice", folder: "INBOX", messages: inbox)
        try server.seed(user: "alice", folder: "Projects/2024", messages: projects)
        try server.seed(user: "alice", folder: "Empty", messages: [])
    }

    static func size(_ messages: [SeedMessage]) -> Int { messages.reduce(0) { $0 + $1.bytes.count } }

    @Test("over implicit TLS with --ca-file it prints every folder with its counts; --json has the same numbers; STARTTLS too")
    func success() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(tls: true)) { server in
            try Self.seed(server)
            let ca = try #require(server.caCertificatePath)
            let tlsPort = try #require(server.tlsPort)
            let passwordFile = try runner.secretFile("alice-password")
            let account = "imaps://alice@127.0.0.1:\(tlsPort)"

            let text = try await runner.run(["check", account, "--ca-file", ca, "--password-file", passwordFile])
            #expect(text.status == 0, "\(text)")
            let lines = text.stdout.split(separator: "\n").map(String.init)
            #expect(lines.first?.hasPrefix("\(account): connected, TLS, certificate verified, logged in as alice") == true, "\(text)")
            #expect(lines.contains { $0.hasPrefix("capabilities: ") && $0.contains("IMAP4rev1") })
            func row(_ folder: String) -> [String]? {
                lines.first { $0.hasPrefix(folder + " ") }?.split(separator: " ").map(String.init)
            }
            #expect(row("INBOX")?.dropFirst().first == "3", "\(text)")
            #expect(row("Projects/2024")?.dropFirst().first == "2", "\(text)")
            #expect(row("Empty")?.dropFirst().first == "0", "\(text)")
            #expect(lines.last?.contains("5 messages") == true, "\(text)")
            #expect(text.stderr.isEmpty, "\(text)")

            let json = try await runner.run(["check", account, "--ca-file", ca, "--password-file", passwordFile, "--json"])
            #expect(json.status == 0, "\(json)")
            let report = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            #expect(report["account"] as? String == account)
            #expect(report["tls"] as? String == "TLS, certificate verified")
            #expect(report["separator"] as? String == "/")
            #expect((report["capabilities"] as? [String])?.contains("IMAP4rev1") == true)
            let folders = try #require(report["folders"] as? [[String: Any]])
            func folder(_ name: String) -> [String: Any]? { folders.first { $0["name"] as? String == name } }
            #expect(folder("INBOX")?["messages"] as? Int == 3)
            #expect(folder("INBOX")?["bytes"] as? Int == Self.size(Self.inbox))
            #expect(folder("Projects/2024")?["messages"] as? Int == 2)
            #expect(folder("Projects/2024")?["bytes"] as? Int == Self.size(Self.projects))
            #expect(folder("Empty")?["messages"] as? Int == 0)
            #expect(folder("Empty")?["selectable"] as? Bool == true)

            // STARTTLS on the plain port, the password from the environment.
            let startTLS = try await runner.run(["check", "imap://alice@127.0.0.1:\(server.plainPort)", "--ca-file", ca, "--json"],
                                                environment: ["IMAPCRATE_PASSWORD": "alice-password"])
            #expect(startTLS.status == 0, "\(startTLS)")
            let upgraded = try JSONSerialization.jsonObject(with: Data(startTLS.stdout.utf8)) as? [String: Any]
            #expect(upgraded?["tls"] as? String == "STARTTLS, certificate verified")
        }
    }

    @Test("failures exit with their documented status and one error line: 16 wrong password, 12 untrusted certificate, 10 closed port, 64 no password")
    func failures() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer(.init(tls: true)) { server in
            let ca = try #require(server.caCertificatePath)
            let account = "imaps://alice@127.0.0.1:\(try #require(server.tlsPort))"
            let wrongPassword = try runner.secretFile("not-alice-password")
            let rightPassword = try runner.secretFile("alice-password")

            let refused = try await runner.run(["check", account, "--ca-file", ca, "--password-file", wrongPassword])
            #expect(refused.status == 16, "\(refused)")
            Self.expectOneErrorLine(refused)

            let untrusted = try await runner.run(["check", account, "--password-file", rightPassword])
            #expect(untrusted.status == 12, "\(untrusted)")
            Self.expectOneErrorLine(untrusted)
            #expect(untrusted.stderr.contains("--ca-file"), "\(untrusted)")

            let noPassword = try await runner.run(["check", account, "--ca-file", ca], detachFromTerminal: true)
            #expect(noPassword.status == 64, "\(noPassword)")
            Self.expectOneErrorLine(noPassword)
            #expect(noPassword.stderr.contains("--password-file"), "\(noPassword)")
        }
        let closed = try LoopbackPort.closed()
        let unreachable = try await runner.run(["check", "imaps://alice@127.0.0.1:\(closed)",
                                                "--password-file", try runner.secretFile("alice-password")])
        #expect(unreachable.status == 10, "\(unreachable)")
        Self.expectOneErrorLine(unreachable)
    }

    @Test("imap:// to a server without STARTTLS fails with 12, and works with --allow-plaintext")
    func plaintext() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        try await DovecotServer.withServer { server in
            try Self.seed(server)
            let account = "imap://alice@127.0.0.1:\(server.plainPort)"
            let passwordFile = try runner.secretFile("alice-password")

            let refused = try await runner.run(["check", account, "--password-file", passwordFile])
            #expect(refused.status == 12, "\(refused)")
            Self.expectOneErrorLine(refused)
            #expect(refused.stderr.contains("STARTTLS"), "\(refused)")

            let allowed = try await runner.run(["check", account, "--password-file", passwordFile, "--allow-plaintext", "--json"])
            #expect(allowed.status == 0, "\(allowed)")
            let report = try JSONSerialization.jsonObject(with: Data(allowed.stdout.utf8)) as? [String: Any]
            #expect(report?["tls"] as? String == "plain text (no TLS)")
            #expect(allowed.stderr.contains("WITHOUT encryption"), "\(allowed)")
        }
    }

    @Test("the password appears nowhere in stdout or stderr, even with --verbose, on success and on failure")
    func passwordNeverPrinted() async throws {
        let runner = try CommandRunner()
        defer { runner.cleanUp() }
        let secret = "Zq7-unguessable-Secret-4711"
        let wrong = "Xk9-wrong-Secret-0815"
        let user = DovecotServer.User(name: "bob@example.org", password: secret)
        try await DovecotServer.withServer(.init(users: [user], tls: true)) { server in
            let ca = try #require(server.caCertificatePath)
            let account = "imaps://bob@example.org@127.0.0.1:\(try #require(server.tlsPort))"
            var outcomes: [CommandRunner.Outcome] = []
            for arguments in [["--verbose"], ["--verbose", "--json"], []] {
                let success = try await runner.run(["check", account, "--ca-file", ca, "--password-file", try runner.secretFile(secret)] + arguments)
                #expect(success.status == 0, "\(success)")
                outcomes.append(success)
                let failure = try await runner.run(["check", account, "--ca-file", ca] + arguments,
                                                   environment: ["IMAPCRATE_PASSWORD": wrong])
                #expect(failure.status == 16, "\(failure)")
                outcomes.append(failure)
            }
            // --verbose really traced the protocol, so the check below looked at a login exchange.
            #expect(outcomes[0].stderr.contains("LOGIN"), "\(outcomes[0])")
            let forbidden = [secret, wrong, Data("\u{0}bob@example.org\u{0}\(secret)".utf8).base64EncodedString()]
            for outcome in outcomes {
                for text in forbidden {
                    #expect(!outcome.stdout.contains(text), "\(outcome)")
                    #expect(!outcome.stderr.contains(text), "\(outcome)")
                }
            }
        }
    }

    static func expectOneErrorLine(_ outcome: CommandRunner.Outcome, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.stderrLines.count == 1, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.stderrLines.first?.hasPrefix("imapcrate: error: ") == true, "\(outcome)", sourceLocation: sourceLocation)
        #expect(outcome.stdout.isEmpty, "\(outcome)", sourceLocation: sourceLocation)
    }
}
