import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// What a real server does only on a bad day: BYE, drops, NO with codes, silence.
@Suite("Server failures")
struct ServerFailureScriptTests {
    typealias Step = ScriptedIMAPServer.Step

    static let greeting: Step = .send("* OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] scripted")
    static let login: [Step] = [.expect(command: "LOGIN"), .sendTagged("OK [CAPABILITY IMAP4rev1 LITERAL+ UIDPLUS] Logged in")]
    static let credentials = Credentials.password(username: "alice", password: "secret")

    @Test("a BYE greeting is .disconnected with the server's text")
    func byeGreeting() async throws {
        try await ScriptedIMAPServer.withServer(script: [.send("* BYE Too many connections from your IP")]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration()) { _ in }
            }
            #expect(error.code == .disconnected)
            #expect(error.response?.status == .bye)
            #expect(error.message.contains("Too many connections"))
        }
    }

    @Test("a peer that is not an IMAP server is .protocolViolation")
    func notIMAP() async throws {
        try await ScriptedIMAPServer.withServer(script: [.send("SSH-2.0-OpenSSH_9.6")]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration()) { _ in }
            }
            #expect(error.code == .protocolViolation)
        }
    }

    @Test("plain text injected after the STARTTLS response is refused as .tlsFailed before anything is believed")
    func startTLSInjection() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 STARTTLS LOGINDISABLED] ready"),
            .expect(command: "STARTTLS"),
            // One segment: the real response, then a forged one that did not come through TLS.
            .sendRaw(Array("C1 OK Begin TLS negotiation now\r\n* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\nC2 OK done\r\n".utf8)),
            .delay(.seconds(30)),
        ]) { server in
            var configuration = server.configuration()
            configuration.security = .startTLS
            configuration.allowPlaintext = false
            let error = try await clientError {
                try await IMAPConnection.withSession(configuration) { session in
                    try await session.authenticate(Self.credentials)
                }
            }
            #expect(error.code == .tlsFailed)
            #expect(error.message.contains("plain text after accepting STARTTLS"), "\(error.message)")
        }
    }

    @Test("a PREAUTH greeting on a STARTTLS connection is .tlsFailed, never continued in plain text")
    func preauthInsteadOfStartTLS() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* PREAUTH [CAPABILITY IMAP4rev1] already logged in"), .delay(.seconds(30)),
        ]) { server in
            var configuration = server.configuration()
            configuration.security = .startTLS
            configuration.allowPlaintext = false
            let error = try await clientError {
                try await IMAPConnection.withSession(configuration) { _ in }
            }
            #expect(error.code == .tlsFailed)
            #expect(server.receivedLines.isEmpty)
        }
    }

    @Test("a connection dropped in the middle of a FETCH literal ends the stream with .disconnected")
    func dropMidLiteral() async throws {
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "UID FETCH 7"),
            .send("* 1 FETCH (UID 7 BODY[] {100}"), .sendRaw([UInt8](repeating: 65, count: 40)), .close,
        ]) { server in
            var received = 0
            var began = false
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration()) { session in
                    try await session.authenticate(Self.credentials)
                    for try await event in session.uidFetch(["7"], items: [.uid, .bodyPeek(section: "")]) {
                        switch event {
                        case .streamingBegin(_, let count): began = count == 100
                        case .streamingBytes(let chunk): received += chunk.readableBytes
                        default: break
                        }
                    }
                }
            }
            #expect(error.code == .disconnected)
            #expect(began)
            #expect(received <= 40)
        }
    }

    @Test("a BYE while a command waits is .disconnected carrying the BYE")
    func byeMidSession() async throws {
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "SELECT"), .send("* BYE Server shutting down"), .close,
        ]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration()) { session in
                    try await session.authenticate(Self.credentials)
                    _ = try await session.select(.inbox, readOnly: false)
                }
            }
            #expect(error.code == .disconnected)
            #expect(error.response?.status == .bye)
            #expect(error.message.contains("shutting down"))
        }
    }

    @Test("NO [OVERQUOTA] to an APPEND is .commandFailed with .overQuota, and the session goes on")
    func overQuotaAfterLiteral() async throws {
        let message = ByteBuffer(string: "Subject: big\r\n\r\nbody\r\n")
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "APPEND INBOX (\\Seen) {\(message.readableBytes)+}"), .expectLiteral(message.readableBytes),
            .expect(line: ""), .sendTagged("NO [OVERQUOTA] Quota exceeded (mailbox for user is full)"),
            .expect(command: "NOOP"), .sendTagged("OK NOOP completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            try await IMAPConnection.withSession(server.configuration()) { session in
                try await session.authenticate(Self.credentials)
                let error = try await clientError {
                    try await session.append(to: .inbox, flags: [.seen], internalDate: nil, message: message)
                }
                #expect(error.code == .commandFailed)
                #expect(error.responseCode == .overQuota)
                #expect(error.response?.text.contains("Quota exceeded") == true)
                _ = try await session.noop()
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
            #expect(server.transcript.contains(.literal(message.bytes)))
        }
    }

    @Test("NO [OVERQUOTA] instead of the continuation for a synchronizing literal: no body is sent, the session goes on")
    func overQuotaBeforeLiteral() async throws {
        let message = ByteBuffer(string: "Subject: big\r\n\r\nbody\r\n")
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1] scripted"),
            .expect(command: "LOGIN"), .sendTagged("OK [CAPABILITY IMAP4rev1 UIDPLUS] Logged in"),
            .expect(command: "APPEND INBOX {\(message.readableBytes)}"), .sendTagged("NO [OVERQUOTA] Quota exceeded"),
            .expect(command: "NOOP"), .sendTagged("OK NOOP completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ], options: .init(autoContinuation: false)) { server in
            try await IMAPConnection.withSession(server.configuration()) { session in
                try await session.authenticate(Self.credentials)
                let error = try await clientError {
                    try await session.append(to: .inbox, flags: [], internalDate: nil, message: message)
                }
                #expect(error.code == .commandFailed)
                #expect(error.responseCode == .overQuota)
                _ = try await session.noop()
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
            #expect(!server.transcript.contains { if case .literal = $0 { true } else { false } })
        }
    }

    @Test("a server silent beyond the read timeout while a command waits is .timeout")
    func silentServer() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            Self.greeting, .expect(command: "LOGIN"), .delay(.seconds(60)),
        ]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration(readTimeout: .seconds(1))) { session in
                    try await session.authenticate(Self.credentials)
                }
            }
            #expect(error.code == .timeout)
        }
    }

    @Test("a server that accepts the connection but never greets is .timeout")
    func silentGreeting() async throws {
        try await ScriptedIMAPServer.withServer(script: [.delay(.seconds(60))]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration(readTimeout: .seconds(1))) { _ in }
            }
            #expect(error.code == .timeout)
        }
    }

    @Test("a slow upload is not a silent server: an APPEND whose body takes longer than the read timeout completes")
    func slowUpload() async throws {
        let chunk = ByteBuffer(repeating: UInt8(ascii: "x"), count: 1000)
        let chunks = 12
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "APPEND INBOX {\(chunks * 1000)+}"), .expectLiteral(chunks * 1000), .expect(line: ""),
            .sendTagged("OK [APPENDUID 1 42] APPEND completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            // A generous timeout: the scripted server shares a loaded test machine.
            let uid = try await IMAPConnection.withSession(server.configuration(readTimeout: .seconds(10))) { session in
                try await session.authenticate(Self.credentials)
                let command = try await session.beginAppend(to: .inbox)
                #expect(try await command.beginMessage(AppendMessageHeader(flags: [], internalDate: nil, byteCount: chunks * 1000)))
                for _ in 0..<chunks {
                    // Each pause is well under the timeout; all of them together are over it.
                    try await Task.sleep(for: .milliseconds(1000))
                    try await command.write(chunk)
                }
                let response = try await session.complete(try await command.finish())
                if case .appendUID(_, let uids)? = response.code { return uids.first?.lowerBound }
                return nil
            }
            #expect(uid == 42)
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }

    @Test("a server that stops reading an upload is .timeout once the socket buffers are full")
    func stalledUpload() async throws {
        let chunk = ByteBuffer(repeating: UInt8(ascii: "y"), count: 1 << 20)
        let size = 256 << 20
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "APPEND INBOX {\(size)+}"), .delay(.seconds(60)),
        ]) { server in
            let error = try await clientError {
                try await IMAPConnection.withSession(server.configuration(readTimeout: .seconds(1))) { session in
                    try await session.authenticate(Self.credentials)
                    let command = try await session.beginAppend(to: .inbox)
                    _ = try await command.beginMessage(AppendMessageHeader(flags: [], internalDate: nil, byteCount: size))
                    for _ in 0..<(size / chunk.readableBytes) { try await command.write(chunk) }
                    _ = try await session.complete(try await command.finish())
                }
            }
            #expect(error.code == .timeout)
        }
    }

    @Test("an idle session with nothing pending is not timed out")
    func idleIsFine() async throws {
        try await ScriptedIMAPServer.withServer(script: [Self.greeting] + Self.login + [
            .expect(command: "NOOP"), .sendTagged("OK NOOP completed"),
            .expect(command: "LOGOUT"), .sendTagged("OK"),
        ]) { server in
            // Generous timeouts: a loaded test machine may answer the login slowly.
            try await IMAPConnection.withSession(server.configuration(readTimeout: .seconds(10))) { session in
                try await session.authenticate(Self.credentials)
                // More than twice the read timeout with no command in flight.
                try await Task.sleep(for: .milliseconds(21_000))
                _ = try await session.noop()
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }
}
