import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// `uidFetch` with several sequence sets, pipelined.
@Suite("FetchStream pipelining")
struct FetchStreamTests {
    @Test("several UID sets at pipeline depth 1, 2 and 5 return every message of Dovecot once, in order")
    func pipelinedAgainstDovecot() async throws {
        try await DovecotServer.withServer { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)
                let bodies = (1...7).map { Array("Subject: message \($0)\r\n\r\n\(String(repeating: "text \($0) ", count: 50 * $0))\r\n".utf8) }
                for body in bodies {
                    try await session.append(to: .inbox, flags: [], internalDate: nil, message: ByteBuffer(bytes: body))
                }
                _ = try await session.select(.inbox, readOnly: true)
                for depth in [1, 2, 5] {
                    let messages = try await session.uidFetch(["1:2", "3:4", "5:6", "7"], items: FetchedMessage.allItems,
                                                              pipelineDepth: depth).collect()
                    #expect(messages.map(\.uid) == [1, 2, 3, 4, 5, 6, 7], "depth \(depth)")
                    #expect(messages.map(\.sequenceNumber) == [1, 2, 3, 4, 5, 6, 7], "depth \(depth)")
                    #expect(messages.map(\.body) == bodies, "depth \(depth)")
                }
                // The session is in step afterwards: nothing left over from the pipeline.
                #expect(try await session.uidSearch("ALL") == [1, 2, 3, 4, 5, 6, 7])
                let empty = try await session.uidFetch(["100:200"], items: [.uid]).collect()
                #expect(empty.isEmpty)
            }
        }
    }

    @Test("at depth 2 the second UID FETCH is sent before the first completes, the third after it")
    func pipelinedOnTheWire() async throws {
        func fetch(_ number: Int) -> ScriptedIMAPServer.Step {
            .send("* \(number) FETCH (UID \(number * 10) BODY[] {3}\r\nm\(number)!)")
        }
        try await ScriptedIMAPServer.withServer(script: [
            .send("* OK [CAPABILITY IMAP4rev1 LITERAL+] scripted"),
            // Both commands arrive before the server has answered anything.
            .expect(command: "UID FETCH 1:2 (UID BODY.PEEK[])"),
            .expect(command: "UID FETCH 3:4 (UID BODY.PEEK[])"),
            fetch(1), fetch(2), .send("C1 OK done"),
            .expect(command: "UID FETCH 5:6 (UID BODY.PEEK[])"),
            fetch(3), fetch(4), .send("C2 OK done"),
            fetch(5), .send("* 9 EXPUNGE"), fetch(6), .send("C3 OK done"),
            .expect(command: "LOGOUT"), .send("* BYE"), .sendTagged("OK"),
        ]) { server in
            let messages = try await IMAPConnection.withSession(server.configuration()) { session in
                try await session.uidFetch(["1:2", "3:4", "5:6"], items: [.uid, .bodyPeek(section: "")], pipelineDepth: 2).collect()
            }
            #expect(messages.map(\.uid) == [10, 20, 30, 40, 50, 60])
            #expect(messages.map(\.body) == (1...6).map { Array("m\($0)!".utf8) })
            try await server.waitUntilFinished()
            #expect(server.failures.isEmpty, "\(server.failures)")
        }
    }
}
