import IMAPProtocol
import NIOCore
import Testing

@Suite("Response parser: Dovecot, Gmail and Exchange sessions")
struct ServerTranscriptTests {
    @Test("each transcript parses completely without error",
          arguments: ServerTranscripts.all.map(\.1))
    func parsesCompletely(_ transcript: String) {
        let run = ParserHarness.run(transcript)
        #expect(run.error == nil)
        #expect(run.leftover == 0)
        let tagged = run.events.filter { if case .tagged = $0 { true } else { false } }
        #expect(tagged.count == transcript.components(separatedBy: "\r\nA").count - 1)
    }

    @Test("Dovecot: capabilities, listing, select data and a streamed body")
    func dovecot() throws {
        let events = ParserHarness.run(ServerTranscripts.dovecot).merged
        guard case .untagged(.status(let greeting)) = events[0], case .capability(let caps)? = greeting.code else {
            Issue.record("no greeting with capabilities")
            return
        }
        #expect(caps.contains(.literalPlus) && caps.contains(Capability("auth=plain")))
        #expect(events.contains(.untagged(.id(["name": "Dovecot"]))))
        let names = events.compactMap { event -> String? in
            if case .untagged(.list(let list)) = event { return list.mailbox.displayName }
            return nil
        }
        #expect(names == ["Trash", "Sent", "Archive", "Archive/2023", "Entwürfe", "INBOX"])
        #expect(events.contains(.status(.ok, .highestModSeq(7), "Highest")))
        #expect(events.contains(.tagged("A6", .ok, .readWrite, "Select completed (0.001 + 0.000 secs).")))
        let fetch: [ResponseEvent] = [
            .start(1), .attribute(.uid(1)), .attribute(.rfc822Size(UInt64(ServerTranscripts.dovecotBody.utf8.count))),
            .attribute(.flags([.seen, Flag("$Forwarded")])),
            .attribute(.internalDate(try InternalDate(parsing: "01-Feb-2024 10:00:00 +0100"))),
            .attribute(.modSeq(3)), .begin(.wholeBody, ServerTranscripts.dovecotBody.utf8.count),
            .bytes(ServerTranscripts.dovecotBody), .end, .finish,
            .start(2), .attribute(.uid(3)), .attribute(.rfc822Size(0)), .attribute(.flags([])),
            .attribute(.internalDate(try InternalDate(parsing: "09-Feb-2024 23:59:59 -0500"))),
            .attribute(.modSeq(7)), .begin(.wholeBody, 0), .end, .finish,
        ]
        let start = try #require(events.firstIndex(of: .start(1)))
        #expect(Array(events[start..<start + fetch.count]) == fetch)
        #expect(events.contains(.tagged("A8", .ok, .appendUID(uidValidity: 1_700_000_000, uids: [UIDRange(4)]),
                                        "Append completed (0.004 + 0.000 + 0.003 secs).")))
    }

    @Test("Gmail: bracketed folder names, X-GM attributes and text after a response code")
    func gmail() throws {
        let events = ParserHarness.run(ServerTranscripts.gmail).merged
        #expect(events.contains(.tagged("A3", .ok, .readWrite, "[Gmail]/All Mail selected. (Success)")))
        #expect(events.contains(.status(.ok, .highestModSeq(1_234_567), "")))
        #expect(events.contains(.attribute(.other(name: "X-GM-LABELS", value: "(\"\\\\Important\" \"\\\\Inbox\" Work)"))))
        #expect(events.contains(.attribute(.other(name: "X-GM-MSGID", value: "1278455344230334865"))))
        #expect(events.contains(.bytes(ServerTranscripts.gmailBody)))
        let allMail = events.contains { event in
            if case .untagged(.list(let list)) = event {
                return list.mailbox.displayName == "[Gmail]/All Mail" && list.hasAttribute("\\All")
            }
            return false
        }
        #expect(allMail)
    }

    @Test("Exchange: greeting text with brackets, space-padded dates, NO with TRYCREATE")
    func exchange() throws {
        let events = ParserHarness.run(ServerTranscripts.exchange).merged
        guard case .untagged(.status(let greeting)) = events[0] else {
            Issue.record("no greeting")
            return
        }
        #expect(greeting.code == nil)
        #expect(greeting.text.hasPrefix("The Microsoft Exchange IMAP4 service is ready. ["))
        #expect(events.contains(.attribute(.internalDate(try InternalDate(parsing: "03-Mar-2024 14:05:06 +0100")))))
        #expect(events.contains(.status(.ok, .other(name: "UNSEEN", arguments: "2"), "Is the first unseen message")))
        #expect(events.contains(.tagged("A6", .no, .tryCreate, "Mailbox doesn't exist: Foo")))
        #expect(events.contains(.tagged("A7", .bad, "Command Argument Error. 11")))
        #expect(events.contains(.bytes(ServerTranscripts.exchangeBody)))
    }
}
