import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// APPEND then UID FETCH against Dovecot: bytes, flags, keywords and INTERNALDATE survive.
@Suite("APPEND and UID FETCH against Dovecot")
struct AppendFetchTests {
    /// Dovecot keeps INTERNALDATE as a bare instant (the Maildir file's mtime) and prints it in
    /// its own time zone, so the zone comes back only when the server's zone is the same:
    /// these servers run in UTC-7 (POSIX TZ "MST7", no daylight saving).
    static let serverIn0700 = DovecotServer.Configuration(extraConfiguration: ["import_environment = TZ=MST7"])

    static let date0700 = InternalDate(year: 1996, month: 7, day: 17, hour: 2, minute: 44, second: 25, zoneMinutes: -420)

    /// Text with 8-bit bytes (UTF-8 and a Latin-1 byte), a 5,000-character line and no final
    /// line break, with `newline` between lines.
    static func awkwardMessage(newline: String) -> [UInt8] {
        let lines = [
            "From: Jörg <joerg@example.com>",
            "To: alice@example.org",
            "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=",
            "Message-ID: <awkward-\(newline.count)@imapcrate.test>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: 8bit",
            "",
            "Grüße aus Köln — ünïcödé, 日本語.",
            String(repeating: "0123456789", count: 500),
            "The last line has no line break.",
        ]
        var bytes = Array(lines.joined(separator: newline).utf8)
        // A lone Latin-1 é (0xE9) in the middle of the body: invalid UTF-8, still 8-bit text.
        let index = bytes.firstIndex(of: UInt8(ascii: "K"))!
        bytes.insert(0xE9, at: index)
        return bytes
    }

    /// `bytes` with every bare LF turned into CRLF.
    static func crlf(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { result.append(UInt8(ascii: "\r")) }
            result.append(byte)
            previous = byte
        }
        return result
    }

    @Test("flags, a keyword and an INTERNALDATE in -0700 come back exactly, with the bytes of a CRLF message")
    func appendThenFetch() async throws {
        try await DovecotServer.withServer(Self.serverIn0700) { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)
                let folder = MailboxName(displayName: "Archiv 1996")
                try await session.create(folder)
                let crlfMessage = Self.awkwardMessage(newline: "\r\n")
                let lfMessage = Self.awkwardMessage(newline: "\n")
                let flags: [Flag] = [.seen, .flagged, Flag("$Work"), Flag("Project1")]
                let india = InternalDate(year: 2024, month: 2, day: 29, hour: 23, minute: 59, second: 59, zoneMinutes: 330)

                let first = try await session.append(to: folder, flags: flags, internalDate: Self.date0700,
                                                     message: ByteBuffer(bytes: crlfMessage))
                let second = try await session.append(to: folder, flags: [.answered], internalDate: india,
                                                      message: ByteBuffer(bytes: lfMessage))
                let third = try await session.append(to: folder, flags: [], internalDate: nil,
                                                     message: ByteBuffer(string: "Subject: minimal\r\n\r\nx\r\n"))
                #expect(first == 1)
                #expect(second == 2)
                #expect(third == 3)

                let selected = try await session.select(folder, readOnly: true)
                #expect(selected.exists == 3)
                #expect(selected.flags.contains(Flag("$Work")))
                let messages = try await session.uidFetch(["1:*"], items: FetchedMessage.allItems).collect()
                try #require(messages.count == 3)

                let tagged = messages[0]
                #expect(tagged.uid == 1)
                #expect(Set(tagged.flags ?? []).subtracting([.recent]) == Set(flags))
                #expect(tagged.internalDate == Self.date0700)
                #expect(tagged.body == crlfMessage)
                #expect(tagged.size == UInt64(crlfMessage.count))

                // Dovecot (mail_save_crlf = no, the default) stores lines with LF and serves
                // BODY[] with CRLF: a message with bare LFs comes back with CRLF line ends,
                // every other byte unchanged. RFC 3501 §2.3.5 INTERNALDATE keeps the instant;
                // the zone is the server's.
                let bareLF = messages[1]
                #expect(bareLF.uid == 2)
                #expect(bareLF.flags?.contains(.answered) == true)
                #expect(bareLF.body == Self.crlf(lfMessage))
                #expect(bareLF.body != lfMessage)
                #expect(bareLF.internalDate?.date == india.date)
                #expect(bareLF.internalDate?.zoneMinutes == -420)

                let minimal = messages[2]
                #expect(minimal.uid == 3)
                #expect(minimal.body == Array("Subject: minimal\r\n\r\nx\r\n".utf8))
                #expect(Set(minimal.flags ?? []).subtracting([.recent]).isEmpty)
                #expect(minimal.internalDate != nil)
            }
        }
    }

    @Test("one streamed MULTIAPPEND of three messages reports APPENDUID for all three")
    func multiAppend() async throws {
        try await DovecotServer.withServer(Self.serverIn0700) { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)
                try #require(session.supports(.multiAppend))
                let bodies = (1...3).map { number in
                    Array("Subject: part \(number)\r\nMessage-ID: <multi-\(number)@test>\r\n\r\n\(String(repeating: "body \(number) ", count: 200 * number))\r\n".utf8)
                }
                let flags: [[Flag]] = [[.seen], [.flagged, Flag("$Work")], []]
                let dates = [Self.date0700, nil, InternalDate(year: 2001, month: 1, day: 2, hour: 3, minute: 4, second: 5, zoneMinutes: -420)]

                let command = try await session.beginAppend(to: .inbox)
                for index in 0..<3 {
                    let header = AppendMessageHeader(flags: flags[index], internalDate: dates[index], byteCount: bodies[index].count)
                    #expect(try await command.beginMessage(header))
                    // Written in small uneven pieces to exercise chunked writes.
                    var offset = 0
                    while offset < bodies[index].count {
                        let end = min(bodies[index].count, offset + 97)
                        try await command.write(ByteBuffer(bytes: bodies[index][offset..<end]))
                        offset = end
                    }
                }
                let tag = try await command.finish()
                let response = try await session.complete(tag)
                guard case .appendUID(let uidValidity, let uids)? = response.code else {
                    Issue.record("no APPENDUID in \(String(describing: response.code))")
                    return
                }
                #expect(uids.flatMap(\.uids) == [1, 2, 3])

                let selected = try await session.select(.inbox, readOnly: true)
                #expect(selected.uidValidity == uidValidity)
                #expect(selected.exists == 3)
                let messages = try await session.uidFetch(["1:*"], items: FetchedMessage.allItems).collect()
                #expect(messages.map(\.uid) == [1, 2, 3])
                #expect(messages.map(\.body) == bodies)
                for index in 0..<3 {
                    #expect(Set(messages[index].flags ?? []).subtracting([.recent]) == Set(flags[index]))
                    if let date = dates[index] { #expect(messages[index].internalDate == date) }
                }
            }
        }
    }
}
