import Foundation
import IMAPClient
import IMAPProtocol
import Testing
import TestSupport

/// LOGIN and SASL exchanges (RFC 3501 §6.2, RFC 4959 SASL-IR, RFC 4616 PLAIN, RFC 7628
/// OAUTHBEARER, Google XOAUTH2) against a scripted server, checked line for line.
///
/// Scripts name the client's tags (`C1`, `C2`, …) after a SASL response line, which
/// `sendTagged` would otherwise take for a tag.
@Suite("Authentication exchanges")
struct AuthenticationScriptTests {
    typealias Step = ScriptedIMAPServer.Step

    static let user = "alice@example.com"
    static let token = "ya29.token-value"
    static let oauth = Credentials.oauth2(username: user, accessToken: token)

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }
    static let xoauth2Response = base64("user=\(user)\u{1}auth=Bearer \(token)\u{1}\u{1}")
    static func oauthBearerResponse(port: Int) -> String {
        base64("n,a=\(user),\u{1}host=127.0.0.1\u{1}port=\(port)\u{1}auth=Bearer \(token)\u{1}\u{1}")
    }
    /// An RFC 7628 §3.2.2 error challenge: base64 of `{"status":"invalid_token",…}`.
    static let errorChallenge = "+ " + base64(#"{"status":"invalid_token","schemes":"bearer","scope":"https://mail.google.com/"}"#)
    static let logout: [Step] = [.expect(command: "LOGOUT"), .send("* BYE bye"), .sendTagged("OK")]

    /// Connects to `server`, authenticates and returns the session's capabilities afterwards,
    /// or the client error.
    static func authenticate(_ credentials: Credentials, at server: ScriptedIMAPServer) async -> Result<Set<Capability>, IMAPClientError> {
        do {
            let capabilities = try await IMAPConnection.withSession(server.configuration()) { session in
                try await session.authenticate(credentials)
                return session.capabilities
            }
            return .success(capabilities)
        } catch let error as IMAPClientError {
            return .failure(error)
        } catch {
            return .failure(IMAPClientError(.protocolViolation, "unexpected error type: \(error)"))
        }
    }

    @Test("XOAUTH2 with SASL-IR sends the token in the command and keeps the [CAPABILITY] of the completion")
    func xoauth2WithInitialResponse() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=XOAUTH2 AUTH=PLAIN] ready"),
            .expect(line: "C1 AUTHENTICATE XOAUTH2 \(Self.xoauth2Response)"),
            .sendTagged("OK [CAPABILITY IMAP4rev1 MULTIAPPEND X-AFTER-LOGIN] Success"),
        ] + Self.logout) { server in
            let result = await Self.authenticate(Self.oauth, at: server)
            let capabilities = try result.get()
            #expect(capabilities.contains(Capability("X-AFTER-LOGIN")))
            #expect(!capabilities.contains(Capability("AUTH=XOAUTH2")))
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
            // No CAPABILITY round trip: the completion already carried them.
            #expect(server.receivedLines.map { $0.split(separator: " ").dropFirst().first ?? "" } == ["AUTHENTICATE", "LOGOUT"])
        }
    }

    @Test("OAUTHBEARER is preferred over XOAUTH2; without SASL-IR the response follows the empty challenge")
    func oauthBearerWithoutInitialResponse() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2 AUTH=OAUTHBEARER] ready"),
            .expect(line: "C1 AUTHENTICATE OAUTHBEARER"), .send("+ "),
            .expect(where: { $0.text.count > 20 && !$0.text.contains(" ") }),
            .send("C1 OK Success"),
            // No capabilities came with the completion: the client asks.
            .expect(line: "C2 CAPABILITY"), .send("* CAPABILITY IMAP4rev1 X-AFTER-LOGIN"), .sendTagged("OK"),
        ] + Self.logout) { server in
            let capabilities = try await Self.authenticate(Self.oauth, at: server).get()
            #expect(capabilities.contains(Capability("X-AFTER-LOGIN")))
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
            #expect(server.receivedLines.count >= 2)
            #expect(server.receivedLines.dropFirst().first == Self.oauthBearerResponse(port: server.port))
        }
    }

    @Test("OAUTHBEARER failure: the error challenge is answered with AQ== and the NO becomes .authenticationFailed")
    func oauthBearerFailure() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 SASL-IR AUTH=OAUTHBEARER] ready"),
            .expect(where: { $0.text.hasPrefix("C1 AUTHENTICATE OAUTHBEARER ") }),
            .send(Self.errorChallenge),
            .expect(line: "AQ=="),
            .send("C1 NO [AUTHENTICATIONFAILED] Invalid credentials"),
        ]) { server in
            let result = await Self.authenticate(Self.oauth, at: server)
            guard case .failure(let error) = result else {
                Issue.record("authentication succeeded")
                return
            }
            #expect(error.code == .authenticationFailed)
            #expect(error.responseCode == .authenticationFailed)
            #expect(error.message.contains("Invalid credentials"))
            #expect(!error.message.contains(Self.token))
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
            #expect(server.receivedLines.first == "C1 AUTHENTICATE OAUTHBEARER \(Self.oauthBearerResponse(port: server.port))")
        }
    }

    @Test("XOAUTH2 failure without SASL-IR: response after +, error challenge answered with an empty line, then .authenticationFailed")
    func xoauth2Failure() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 AUTH=XOAUTH2] ready"),
            .expect(line: "C1 AUTHENTICATE XOAUTH2"), .send("+ "),
            .expect(line: Self.xoauth2Response),
            .send(Self.errorChallenge),
            .expect(line: ""),
            .send("C1 NO [AUTHENTICATIONFAILED] Invalid credentials (Failure)"),
        ]) { server in
            let result = await Self.authenticate(Self.oauth, at: server)
            guard case .failure(let error) = result else {
                Issue.record("authentication succeeded")
                return
            }
            #expect(error.code == .authenticationFailed)
            #expect(error.response?.status == .no)
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }

    @Test("a token for a server that offers neither OAUTHBEARER nor XOAUTH2 is refused before anything is sent")
    func noOAuthMechanism() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            let result = await Self.authenticate(Self.oauth, at: server)
            guard case .failure(let error) = result else {
                Issue.record("authentication succeeded")
                return
            }
            #expect(error.code == .authenticationFailed)
            #expect(error.message.contains("OAUTHBEARER"))
            #expect(!server.receivedLines.contains { $0.contains("AUTHENTICATE") })
        }
    }

    @Test("a password is sent with LOGIN, quoted where needed")
    func passwordLogin() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN SASL-IR] ready"),
            .expect(line: #"C1 LOGIN alice "pa ss\"word""#), .sendTagged("OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in"),
        ] + Self.logout) { server in
            let capabilities = try await Self.authenticate(.password(username: "alice", password: #"pa ss"word"#), at: server).get()
            #expect(capabilities.contains(.uidPlus))
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }

    @Test("LOGINDISABLED makes a password go through AUTHENTICATE PLAIN, with and without SASL-IR")
    func loginDisabled() async throws {
        let plain = Self.base64("\u{0}alice\u{0}secret pass")
        let credentials = Credentials.password(username: "alice", password: "secret pass")
        try await ScriptedIMAPServer.withServer(scripts: [
            [
                .send("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN SASL-IR] ready"),
                .expect(line: "C1 AUTHENTICATE PLAIN \(plain)"), .sendTagged("OK [CAPABILITY IMAP4rev1] Logged in"),
            ] + Self.logout,
            [
                .send("* OK [CAPABILITY IMAP4rev1 LOGINDISABLED AUTH=PLAIN] ready"),
                .expect(line: "C1 AUTHENTICATE PLAIN"), .send("+ "),
                .expect(line: plain), .send("C1 OK [CAPABILITY IMAP4rev1] Logged in"),
            ] + Self.logout,
        ]) { server in
            _ = try await Self.authenticate(credentials, at: server).get()
            _ = try await Self.authenticate(credentials, at: server).get()
            try await server.waitUntilFinished(connections: 2)
            #expect(server.failures.isEmpty, "\(server.failures)")
            #expect(!server.receivedLines.contains { $0.contains("LOGIN alice") })
        }
    }

    @Test("a NO to LOGIN is .authenticationFailed with the server's text and code")
    func loginRefused() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1] ready"),
            .expect(command: "LOGIN"), .sendTagged("NO [AUTHENTICATIONFAILED] Authentication failed."),
        ]) { server in
            let result = await Self.authenticate(.password(username: "alice", password: "wrong"), at: server)
            guard case .failure(let error) = result else {
                Issue.record("authentication succeeded")
                return
            }
            #expect(error.code == .authenticationFailed)
            #expect(error.responseCode == .authenticationFailed)
            #expect(!error.message.contains("wrong"))
        }
    }
}
