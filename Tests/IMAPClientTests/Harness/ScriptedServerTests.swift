import Foundation
import Testing
import TestSupport

@Suite("ScriptedIMAPServer")
struct ScriptedServerTests {
    typealias Input = ScriptedIMAPServer.ClientInput

    @Test("plays greeting, LOGIN and SELECT, replies with the client's tags and records the transcript")
    func simpleScript() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 LITERAL+] scripted ready"),
            .expect(command: "LOGIN"), .sendTagged("OK LOGIN completed"),
            .expect(command: "select"), .send("* 3 EXISTS"), .send("* FLAGS (\\Seen)"),
            .send("{tag} OK [READ-WRITE] SELECT completed"),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                #expect(try await client.readLine() == "* OK [CAPABILITY IMAP4rev1 LITERAL+] scripted ready")
                let login = try await client.command("LOGIN alice secret")
                #expect(login.tagged == "T1 OK LOGIN completed")
                let select = try await client.command("SELECT INBOX")
                #expect(select.untagged == ["* 3 EXISTS", "* FLAGS (\\Seen)"])
                #expect(select.tagged == "T2 OK [READ-WRITE] SELECT completed")
                #expect(try await client.readUntilClosed().isEmpty)
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
            #expect(server.transcript == [.line("T1 LOGIN alice secret"), .line("T2 SELECT INBOX")])
            #expect(server.connectionCount == 1)
        }
    }

    @Test("an unexpected command is answered BAD, recorded as a failure and ends the connection")
    func mismatch() async throws {
        try await ScriptedIMAPServer.withServer(script: [.send("* OK"), .expect(command: "LOGIN")]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                let result = try await client.command("CAPABILITY")
                #expect(result.status == "BAD")
            }
            try await server.waitUntilFinished()
            #expect(server.failures.count == 1)
            #expect(server.failures.first?.contains("CAPABILITY") == true)
        }
    }

    @Test("a synchronizing literal gets an automatic continuation and is recorded as literal data")
    func synchronizingLiteral() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"),
            .expect(command: "APPEND"), .expectLiteral(5), .expect(line: ""),
            .sendTagged("OK [APPENDUID 7 1] APPEND completed"),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                try await client.writeLine("A1 APPEND INBOX (\\Seen) {5}")
                #expect(try await client.readLine() == "+ Ready for literal data")
                try await client.writeLine("hello")
                #expect(try await client.readLine() == "A1 OK [APPENDUID 7 1] APPEND completed")
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
            #expect(server.transcript == [.line("A1 APPEND INBOX (\\Seen) {5}"), .literal(Array("hello".utf8)), .line("")])
        }
    }

    @Test("non-synchronizing literals (LITERAL+) are read without a continuation")
    func nonSynchronizingLiterals() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"),
            .expect(command: "LOGIN"), .expectLiteral(5), .expect(line: " {6+}"), .expectLiteral(6), .expect(line: ""),
            .sendTagged("OK"),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                try await client.write("A1 LOGIN {5+}\r\nalice {6+}\r\nsecret\r\n")
                #expect(try await client.readLine() == "A1 OK")
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
            #expect(server.transcript == [
                .line("A1 LOGIN {5+}"), .literal(Array("alice".utf8)), .line(" {6+}"), .literal(Array("secret".utf8)), .line(""),
            ])
        }
    }

    @Test("the server can drop the connection in the middle of a literal it is sending")
    func dropWhileSendingLiteral() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"),
            .expect(command: "UID FETCH"),
            .send("* 1 FETCH (UID 7 BODY[] {100}"), .sendRaw([UInt8](repeating: 65, count: 40)), .close,
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                try await client.writeLine("A1 UID FETCH 7 BODY.PEEK[]")
                #expect(try await client.readLine() == "* 1 FETCH (UID 7 BODY[] {100}")
                #expect(try await client.readUntilClosed() == [UInt8](repeating: 65, count: 40))
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
        }
    }

    @Test("the server can drop the connection in the middle of a literal the client is sending")
    func dropWhileReceivingLiteral() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"), .expect(command: "APPEND"), .expectLiteral(10), .close,
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                try await client.writeLine("A1 APPEND INBOX {1000}")
                _ = try await client.readLine()
                try await client.write([UInt8](repeating: 66, count: 10))
                #expect(try await client.readUntilClosed().isEmpty)
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
            #expect(server.transcript == [.line("A1 APPEND INBOX {1000}"), .literal([UInt8](repeating: 66, count: 10))])
        }
    }

    @Test("without automatic continuations the script may refuse a literal and go on")
    func refusedLiteral() async throws {
        let options = ScriptedIMAPServer.Options(autoContinuation: false)
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"),
            .expect(command: "APPEND"), .sendTagged("NO [TOOBIG] Message too large"),
            .expect(command: "NOOP"), .sendTagged("OK NOOP completed"),
        ], options: options) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                let append = try await client.command("APPEND INBOX {99999}")
                #expect(append.tagged == "T1 NO [TOOBIG] Message too large")
                let noop = try await client.command("NOOP")
                #expect(noop.isOK)
            }
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty)
        }
    }

    @Test("onEveryLine answers each command from a closure until it closes")
    func dynamicResponses() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"),
            .onEveryLine { line in
                if line.afterTag.uppercased() == "LOGOUT" { return [.send("* BYE"), .sendTagged("OK LOGOUT"), .close] }
                return [.delay(.milliseconds(1)), .sendTagged("OK \(line.afterTag) done")]
            },
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                #expect(try await client.command("NOOP").tagged == "T1 OK NOOP done")
                #expect(try await client.command("CAPABILITY").tagged == "T2 OK CAPABILITY done")
                let logout = try await client.command("LOGOUT")
                #expect(logout.untagged == ["* BYE"])
                #expect(try await client.readUntilClosed().isEmpty)
            }
            try await server.waitUntilFinished()
            #expect(server.receivedLines == ["T1 NOOP", "T2 CAPABILITY", "T3 LOGOUT"])
        }
    }

    @Test("connection i plays script i, later connections the last script; onLine sees one line")
    func perConnectionScripts() async throws {
        try await ScriptedIMAPServer.withServer(scripts: [
            [.send("* BYE not now"), .close],
            [.send("* OK ready"), .onLine { [.sendTagged("OK saw \($0.text)")] }],
        ]) { server in
            for attempt in 0..<3 {
                try await IMAPLineClient.withConnection(port: server.port) { client in
                    let greeting = try await client.readLine()
                    if attempt == 0 {
                        #expect(greeting == "* BYE not now")
                    } else {
                        #expect(greeting == "* OK ready")
                        #expect(try await client.command("NOOP").tagged == "T1 OK saw T1 NOOP")
                    }
                    #expect(try await client.readUntilClosed().isEmpty)
                }
            }
            try await server.waitUntilFinished(connections: 3)
            #expect(server.connectionCount == 3)
            #expect(server.transcript(connection: 2) == [.line("T1 NOOP")])
        }
    }

    @Test("sendThrottled delivers the same bytes in small delayed pieces")
    func throttled() async throws {
        try await ScriptedIMAPServer.withServer(script: [
            .sendThrottled(Array("* OK [CAPABILITY IMAP4rev1] slow server\r\n".utf8), chunkSize: 3, interval: .milliseconds(1)),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                let greeting = try await client.readLine()
                #expect(greeting == "* OK [CAPABILITY IMAP4rev1] slow server")
            }
        }
    }

    @Test("huge literal data is streamed to the client")
    func hugeSend() async throws {
        let size = 8_000_000
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"), .expect(command: "FETCH"),
            .send("* 1 FETCH (BODY[] {\(size)}"), .sendRepeated(byte: 0x41, count: size), .send(")"),
            .sendTagged("OK FETCH completed"),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                try await client.writeLine("A1 FETCH 1 BODY[]")
                #expect(try await client.readLine() == "* 1 FETCH (BODY[] {\(size)}")
                let body = try await client.readBytes(count: size)
                #expect(body.count == size && body.allSatisfy { $0 == 0x41 })
                #expect(try await client.readLine() == ")")
                #expect(try await client.readLine() == "A1 OK FETCH completed")
            }
        }
    }

    @Test("a client that leaves while the script still expects input is a recorded failure")
    func clientLeavesEarly() async throws {
        try await ScriptedIMAPServer.withServer(script: [.send("* OK"), .expect(command: "LOGIN")]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
            }
            try await server.waitUntilFinished()
            #expect(server.failures.count == 1)
        }
    }

    @Test("stop closes connections that are still waiting")
    func stopClosesConnections() async throws {
        let server = try await ScriptedIMAPServer.start(script: [.send("* OK"), .expect(command: "NEVER")])
        try await IMAPLineClient.withConnection(port: server.port) { client in
            _ = try await client.readLine()
            await server.stop()
            #expect(try await client.readUntilClosed().isEmpty)
        }
        #expect(server.connectionCount == 1)
    }

    @Test("stop also ends a script that is waiting in a delay")
    func stopDuringDelay() async throws {
        let server = try await ScriptedIMAPServer.start(script: [.send("* OK"), .delay(.seconds(3600)), .send("* late")])
        try await IMAPLineClient.withConnection(port: server.port) { client in
            _ = try await client.readLine()
            await server.stop()
            #expect(try await client.readUntilClosed().isEmpty)
        }
    }

    @Test("sendFile streams a file's bytes as they are")
    func sendFile() async throws {
        let path = NSTemporaryDirectory() + "imapcrate-scripted-\(UUID().uuidString).eml"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let message = Array("Subject: from a file\r\n\r\n".utf8) + [UInt8](repeating: 0x7A, count: 200_000)
        try Data(message).write(to: URL(fileURLWithPath: path))
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK"), .expect(command: "FETCH"),
            .send("* 1 FETCH (BODY[] {\(message.count)}"), .sendFile(path: path), .send(")"), .sendTagged("OK"),
        ]) { server in
            try await IMAPLineClient.withConnection(port: server.port) { client in
                _ = try await client.readLine()
                let fetch = try await client.command("FETCH 1 BODY[]")
                #expect(fetch.untagged == ["* 1 FETCH (BODY[] {\(message.count)}\r\n" + String(decoding: message, as: UTF8.self) + ")"])
            }
        }
    }
}
