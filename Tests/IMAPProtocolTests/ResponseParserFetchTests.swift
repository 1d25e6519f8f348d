import IMAPProtocol
import NIOCore
import Testing

@Suite("Response parser: FETCH")
struct ResponseParserFetchTests {
    static let rows: [ParseRow] = [
        ParseRow("* 12 FETCH (UID 7 BODY[] {5}\r\nhello)\r\n",
                 .start(12), .attribute(.uid(7)), .begin(.wholeBody, 5), .bytes("hello"), .end, .finish),
        ParseRow("* 1 FETCH (FLAGS ())\r\n", .start(1), .attribute(.flags([])), .finish),
        ParseRow("* 1 FETCH (FLAGS (\\Seen \\Answered $Forwarded $Label1 \\Recent \\*))\r\n",
                 .start(1), .attribute(.flags([.seen, .answered, Flag("$Forwarded"), Flag("$Label1"), .recent, .wildcard])), .finish),
        ParseRow("* 2 FETCH (UID 4827 FLAGS (\\Seen) INTERNALDATE \"17-Jul-1996 02:44:25 -0700\" RFC822.SIZE 44827 MODSEQ (12121231000))\r\n",
                 .start(2), .attribute(.uid(4827)), .attribute(.flags([.seen])),
                 .attribute(.internalDate(InternalDate(year: 1996, month: 7, day: 17, hour: 2, minute: 44, second: 25, zoneMinutes: -420))),
                 .attribute(.rfc822Size(44827)), .attribute(.modSeq(12_121_231_000)), .finish),
        ParseRow("* 2 FETCH (INTERNALDATE \" 7-Jul-1996 02:44:25 +0200\")\r\n",
                 .start(2), .attribute(.internalDate(InternalDate(year: 1996, month: 7, day: 7, hour: 2, minute: 44, second: 25,
                                                                   zoneMinutes: 120))), .finish),
        ParseRow("* 3 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {11}\r\nSubject: x\n)\r\n",
                 .start(3), .begin(.body(section: "HEADER.FIELDS (SUBJECT FROM)", offset: nil), 11), .bytes("Subject: x\n"),
                 .end, .finish),
        ParseRow("* 4 FETCH (BODY[]<0> {3}\r\nabc)\r\n", .start(4), .begin(.body(section: "", offset: 0), 3), .bytes("abc"), .end, .finish),
        ParseRow("* 4 FETCH (BODY[1.2]<1024> {1}\r\nx)\r\n",
                 .start(4), .begin(.body(section: "1.2", offset: 1024), 1), .bytes("x"), .end, .finish),
        ParseRow("* 5 FETCH (BINARY[] ~{4}\r\n\u{0}\u{1}\u{2}\u{3})\r\n",
                 .start(5), .begin(.binary(section: "", offset: nil), 4), .bytes("\u{0}\u{1}\u{2}\u{3}"), .end, .finish),
        ParseRow("* 5 FETCH (BINARY[1] {2}\r\nab)\r\n", .start(5), .begin(.binary(section: "1", offset: nil), 2), .bytes("ab"), .end, .finish),
        ParseRow("* 6 FETCH (RFC822 {2}\r\nhi RFC822.SIZE 2)\r\n",
                 .start(6), .begin(.rfc822("RFC822"), 2), .bytes("hi"), .end, .attribute(.rfc822Size(2)), .finish),
        ParseRow("* 6 FETCH (RFC822.HEADER {2}\r\nhi RFC822.TEXT {0}\r\n)\r\n",
                 .start(6), .begin(.rfc822("RFC822.HEADER"), 2), .bytes("hi"), .end, .begin(.rfc822("RFC822.TEXT"), 0), .end, .finish),
        ParseRow("* 7 FETCH (BODY[TEXT] \"quoted \\\"body\\\"\" UID 1)\r\n",
                 .start(7), .begin(.body(section: "TEXT", offset: nil), 13), .bytes("quoted \"body\""), .end, .attribute(.uid(1)), .finish),
        ParseRow("* 8 FETCH (BODY[] NIL)\r\n", .start(8), .begin(.wholeBody, 0), .end, .finish),
        ParseRow("* 8 FETCH (BODY[] \"\" UID 3)\r\n", .start(8), .begin(.wholeBody, 0), .end, .attribute(.uid(3)), .finish),
        ParseRow("* 9 FETCH (BODY[] {0}\r\n)\r\n", .start(9), .begin(.wholeBody, 0), .end, .finish),
        ParseRow("* 10 FETCH (X-GM-LABELS (\"\\\\Important\" \"\\\\Sent\" Work) X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 UID 5)\r\n",
                 .start(10), .attribute(.other(name: "X-GM-LABELS", value: "(\"\\\\Important\" \"\\\\Sent\" Work)")),
                 .attribute(.other(name: "X-GM-MSGID", value: "1278455344230334865")),
                 .attribute(.other(name: "X-GM-THRID", value: "1266894439832287888")), .attribute(.uid(5)), .finish),
        ParseRow("* 10 FETCH (X-GM-LABELS ())\r\n", .start(10), .attribute(.other(name: "X-GM-LABELS", value: "()")), .finish),
        ParseRow("* 11 FETCH (EMAILID (M6d99ac3275bb4e) THREADID (T64b478a75b7ea9) UID 5)\r\n",
                 .start(11), .attribute(.other(name: "EMAILID", value: "(M6d99ac3275bb4e)")),
                 .attribute(.other(name: "THREADID", value: "(T64b478a75b7ea9)")), .attribute(.uid(5)), .finish),
        ParseRow("* 12 FETCH (ENVELOPE (\"date\" {5}\r\nsubj. ((\"A\" NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL NIL \"<id>\") UID 1)\r\n",
                 .start(12),
                 .attribute(.other(name: "ENVELOPE", value: "(\"date\" \"subj.\" ((\"A\" NIL \"a\" \"x.org\")) NIL NIL NIL NIL NIL NIL \"<id>\")")),
                 .attribute(.uid(1)), .finish),
        ParseRow("* 13 FETCH (BODYSTRUCTURE ((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 1152 23)(\"TEXT\" \"HTML\" NIL NIL NIL \"BASE64\" 4 1) \"MIXED\"))\r\n",
                 .start(13),
                 .attribute(.other(name: "BODYSTRUCTURE",
                                   value: "((\"TEXT\" \"PLAIN\" (\"CHARSET\" \"us-ascii\") NIL NIL \"7BIT\" 1152 23) (\"TEXT\" \"HTML\" NIL NIL NIL \"BASE64\" 4 1) \"MIXED\")")),
                 .finish),
        ParseRow("* 13 FETCH (BODY (\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1))\r\n",
                 .start(13), .attribute(.other(name: "BODY", value: "(\"TEXT\" \"PLAIN\" NIL NIL NIL \"7BIT\" 3 1)")), .finish),
        ParseRow("* 13 FETCH (BINARY.SIZE[1] 1234)\r\n", .start(13), .attribute(.other(name: "BINARY.SIZE[1]", value: "1234")), .finish),
        ParseRow("* 14 fetch (uid 5 flags (\\seen))\r\n", .start(14), .attribute(.uid(5)), .attribute(.flags([.seen])), .finish),
        ParseRow("* 14 FETCH ( UID 5  FLAGS (\\Seen) ) \r\n", .start(14), .attribute(.uid(5)), .attribute(.flags([.seen])), .finish),
        ParseRow("* 14 FETCH(UID 5)\r\n", .start(14), .attribute(.uid(5)), .finish),
        ParseRow("* 15 FETCH (INTERNALDATE \"garbage\" UID 2)\r\n",
                 .start(15), .attribute(.other(name: "INTERNALDATE", value: "\"garbage\"")), .attribute(.uid(2)), .finish),
        ParseRow("* 15 FETCH (INTERNALDATE NIL)\r\n", .start(15), .attribute(.other(name: "INTERNALDATE", value: "NIL")), .finish),
        ParseRow("* 16 FETCH (UID 9 BODY[] {29}\r\nline1)\r\n{5}\r\nA1 OK x\r\n\r\n~{3}) FLAGS (\\Seen))\r\n",
                 .start(16), .attribute(.uid(9)), .begin(.wholeBody, 29), .bytes("line1)\r\n{5}\r\nA1 OK x\r\n\r\n~{3})"), .end,
                 .attribute(.flags([.seen])), .finish),
    ]

    @Test("parses each FETCH response into events", arguments: rows)
    func parses(_ row: ParseRow) { ParseTable.check(row) }

    static let failures: [FailureRow] = [
        FailureRow("* 1 FETCH (UID abc)\r\n"),
        FailureRow("* 1 FETCH (UID 5\r\n"),
        FailureRow("* 1 FETCH (BODY[] 12)\r\n"),
        FailureRow("* 1 FETCH (BODY[ {5}\r\n"),
        FailureRow("* 1 FETCH (BODY[]<x> {5}\r\n"),
        FailureRow("* 1 FETCH (MODSEQ 5)\r\n"),
        FailureRow("* 1 FETCH (FLAGS (\\Seen)\r\n"),
        FailureRow("* 1 FETCH (X-FOO (unclosed)\r\n"),
        FailureRow("* 1 FETCH (X-FOO \"unterminated)\r\n"),
        FailureRow("* 1 FETCH (BODY[] {5}\r\nhello\r\n"),
        FailureRow("* 1 FETCH (BODY[] {5x}\r\nhello)\r\n"),
        FailureRow("* 1 FETCH (BODY[] {99999999999}\r\n", .literalTooLarge),
        FailureRow("* 1 FETCH (X-FOO {2000000}\r\n", .literalTooLarge),
    ]

    @Test("rejects malformed FETCH responses", arguments: failures)
    func fails(_ row: FailureRow) { ParseTable.checkFailure(row) }

    @Test("a body arriving in pieces is streamed as it comes, never more than what remains")
    func streamsPieces() throws {
        var parser = ResponseParser()
        var buffer = ByteBuffer(string: "* 1 FETCH (BODY[] {10}\r\nabc")
        #expect(try parser.parse(&buffer) == .start(1))
        #expect(try parser.parse(&buffer) == .begin(.wholeBody, 10))
        #expect(try parser.parse(&buffer) == .bytes("abc"))
        #expect(try parser.parse(&buffer) == nil)
        #expect(!parser.isAtResponseBoundary)
        buffer.writeString("defghij UID 3)\r\nA1 OK")
        #expect(try parser.parse(&buffer) == .bytes("defghij"))
        #expect(try parser.parse(&buffer) == .end)
        #expect(try parser.parse(&buffer) == .attribute(.uid(3)))
        #expect(try parser.parse(&buffer) == .finish)
        #expect(parser.isAtResponseBoundary)
        #expect(try parser.parse(&buffer) == nil)
        #expect(buffer.readableBytes == 5)
        buffer.writeString(" done\r\n")
        #expect(try parser.parse(&buffer) == .tagged("A1", .ok, "done"))
    }

    @Test("an attribute split across arrivals is not delivered until whole")
    func waitsForWholeAttribute() throws {
        var parser = ResponseParser()
        var buffer = ByteBuffer(string: "* 1 FETCH (UID 12")
        #expect(try parser.parse(&buffer) == .start(1))
        #expect(try parser.parse(&buffer) == nil)
        #expect(buffer.readableBytes == 6)
        buffer.writeString("3 FLAGS (\\Se")
        #expect(try parser.parse(&buffer) == .attribute(.uid(123)))
        #expect(try parser.parse(&buffer) == nil)
        buffer.writeString("en))\r\n")
        #expect(try parser.parse(&buffer) == .attribute(.flags([.seen])))
        #expect(try parser.parse(&buffer) == .finish)
        #expect(buffer.readableBytes == 0)
    }
}
