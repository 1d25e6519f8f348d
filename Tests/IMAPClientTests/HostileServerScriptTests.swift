import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// A server that lies about tags or never ends its responses: the session ignores what it
/// cannot place, and turns what it cannot bound into `.protocolViolation`.
@Suite("Hostile servers")
struct HostileServerScriptTests {
    typealias Step = ScriptedIMAPServer.Step

    static let greeting: Step = .send("* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] scripted")
    static let login: [Step] = [.expect(command: "LOGIN"), .sendTagged("OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] Logged in")]
    static let credentials = Credentials.password(username: "alice", password: "secret")

    @Test("tagged responses for tags never sent, or not sent yet, do not complete any command")
    func foreignTags() async throws {
        // The client's tags are C1 (LOGIN), C2, C3…: C3's "completion" arrives during C2.
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "SELECT"),
            .send("ZZZ OK not ours"), .send("C3 OK [fake] early"), .send("C2 OK [READ-WRITE] SELECT completed"),
            .expect(command: "UID SEARCH"),
            .send("* SEARCH 4 5 6"), .send("C2 OK duplicate completion of an old command"), .sendTagged("OK SEARCH completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            let uids = try await IMAPConnection.withSession(server.configuration()) { session in
                try await session.authenticate(Self.credentials)
                _ = try await session.select(.inbox, readOnly: false)
                return try await session.uidSearch("ALL")
            }
            #expect(uids == [4, 5, 6], "the early C3 OK must not have ended the SEARCH before its data")
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }

    @Test("a flood of untagged responses for one command is .protocolViolation; up to the limit is fine")
    func untaggedFlood() async throws {
        let flood = String(repeating: "* 1 EXISTS\r\n", count: 1_500)
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "NOOP"), .sendRaw(Array(flood.utf8)), .delay(.seconds(60)),
        ]) { server in
            var configuration = server.configuration()
            configuration.maximumUntaggedResponses = 1_000
            let error = try await clientError {
                try await IMAPConnection.withSession(configuration) { session in
                    try await session.authenticate(Self.credentials)
                    _ = try await session.noop()
                }
            }
            #expect(error.code == .protocolViolation)
        }
        let fine = String(repeating: "* 1 EXISTS\r\n", count: 999)
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "NOOP"), .sendRaw(Array(fine.utf8)), .sendTagged("OK NOOP completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            var configuration = server.configuration()
            configuration.maximumUntaggedResponses = 1_000
            let count = try await IMAPConnection.withSession(configuration) { session in
                try await session.authenticate(Self.credentials)
                return try await session.noop().count
            }
            #expect(count == 999)
        }
    }

    /// Hostile answers to a UID FETCH.
    static let endlessAnswers: [(String, [Step])] = [
        ("a FETCH response that never closes", [
            .sendRaw(Array(("* 1 FETCH (UID 1" + String(repeating: " X-JUNK {1}\r\na", count: 12_000)).utf8)), .delay(.seconds(60)),
        ]),
        ("an untagged response of endless literals", [
            .sendRaw(Array("* XJUNK ".utf8)),
            .sendRaw(Array((0..<8).map { _ in "{1048576}\r\n" + String(repeating: "j", count: 1 << 20) + " " }.joined().utf8)),
            .delay(.seconds(60)),
        ]),
        ("an endless line", [.send("* 1 FETCH (UID 1 X-JUNK "), .sendRepeated(byte: UInt8(ascii: "x"), count: 4 << 20), .delay(.seconds(60))]),
        ("10,000-deep nesting", [.send("* 1 FETCH (BODYSTRUCTURE " + String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000) + ")")]),
    ]

    @Test("responses that never end are .protocolViolation long before they exhaust memory", arguments: endlessAnswers.indices)
    func endless(index: Int) async throws {
        let (name, steps) = Self.endlessAnswers[index]
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [.expect(command: "UID FETCH")] + steps) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration()) { session in
                    try await session.authenticate(Self.credentials)
                    for try await _ in session.uidFetch(["1:*"], items: [.uid, .bodyPeek(section: "")]) {}
                }
            }
            #expect(error.code == .protocolViolation, "\(name): \(error)")
        }
    }
}
