import IMAPProtocol
import Testing

@Suite("Response parser: untagged data")
struct ResponseParserUntaggedTests {
    static let rows: [ParseRow] = [
        ParseRow("* CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN LITERAL+\r\n",
                 .untagged(.capability([.imap4rev1, .startTLS, Capability("AUTH=PLAIN"), .literalPlus]))),
        ParseRow("* CAPABILITY IMAP4rev1 \r\n", .untagged(.capability([.imap4rev1]))),
        ParseRow("* capability imap4rev1  x-gm-ext-1\r\n", .untagged(.capability([.imap4rev1, .gmailExtensions]))),
        ParseRow("* ENABLED CONDSTORE QRESYNC\r\n", .untagged(.enabled([.condStore, .qresync]))),
        ParseRow("* ENABLED\r\n", .untagged(.enabled([]))),
        ParseRow("* ID (\"name\" \"Dovecot\" \"version\" NIL)\r\n", .untagged(.id(["name": "Dovecot"]))),
        ParseRow("* ID NIL\r\n", .untagged(.id([:]))),
        ParseRow("* ID (\"name\" {7}\r\nDovecot \"vendor\" \"Open-Xchange\")\r\n",
                 .untagged(.id(["name": "Dovecot", "vendor": "Open-Xchange"]))),
        ParseRow("* ID ()\r\n", .untagged(.id([:]))),
        ParseRow("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r\n",
                 .untagged(.flags([.answered, .flagged, .deleted, .seen, .draft, Flag("$Forwarded")]))),
        ParseRow("* FLAGS ()\r\n", .untagged(.flags([]))),
        ParseRow("* 23 EXISTS\r\n", .untagged(.exists(23))),
        ParseRow("* 0 EXISTS\r\n", .untagged(.exists(0))),
        ParseRow("* 5 RECENT\r\n", .untagged(.recent(5))),
        ParseRow("* 44 EXPUNGE\r\n", .untagged(.expunge(44))),
        ParseRow("* 23 exists \r\n", .untagged(.exists(23))),
        ParseRow("* 4294967295 EXISTS\r\n", .untagged(.exists(UInt32.max))),
        ParseRow("* SEARCH 2 3 6\r\n", .untagged(.search([2, 3, 6], modSeq: nil))),
        ParseRow("* SEARCH\r\n", .untagged(.search([], modSeq: nil))),
        ParseRow("* SEARCH \r\n", .untagged(.search([], modSeq: nil))),
        ParseRow("* SEARCH 2 3 (MODSEQ 917162500)\r\n", .untagged(.search([2, 3], modSeq: 917_162_500))),
        ParseRow("* VANISHED (EARLIER) 41,43:116,15:14\r\n",
                 .untagged(.vanished(earlier: true, uids: [UIDRange(41), UIDRange(43, 116), UIDRange(14, 15)]))),
        ParseRow("* VANISHED 405,407\r\n", .untagged(.vanished(earlier: false, uids: [UIDRange(405), UIDRange(407)]))),
        ParseRow("* ESEARCH (TAG \"A1\") UID ALL 1:5\r\n", .untagged(.other(keyword: "ESEARCH", text: "(TAG \"A1\") UID ALL 1:5"))),
        ParseRow("* XYZZY\r\n", .untagged(.other(keyword: "XYZZY", text: ""))),
        ParseRow("* 3 XFOO bar \r\n", .untagged(.other(keyword: "XFOO", text: "3 bar"))),
        ParseRow("* 3 XFOO\r\n", .untagged(.other(keyword: "XFOO", text: "3"))),
        ParseRow("* METADATA \"INBOX\" (/private/comment {5}\r\nhe\"lo)\r\n",
                 .untagged(.other(keyword: "METADATA", text: "\"INBOX\" (/private/comment \"he\\\"lo\")"))),
        ParseRow("* QUOTA \"\" (STORAGE 10 512)\r\n", .untagged(.other(keyword: "QUOTA", text: "\"\" (STORAGE 10 512)"))),
    ]

    @Test("parses each untagged response", arguments: rows)
    func parses(_ row: ParseRow) { ParseTable.check(row) }

    @Test("needs more bytes for every prefix, consuming nothing", arguments: rows)
    func incomplete(_ row: ParseRow) { ParseTable.checkIncomplete(row) }

    static let failures: [FailureRow] = [
        FailureRow("* FLAGS (\\Seen\r\n"),
        FailureRow("* FLAGS \\Seen\r\n"),
        FailureRow("* SEARCH 1 x\r\n"),
        FailureRow("* SEARCH 1 (MODSEQ)\r\n"),
        FailureRow("* VANISHED\r\n"),
        FailureRow("* VANISHED (LATER) 1\r\n"),
        FailureRow("* ID (\"name\")\r\n"),
        FailureRow("* ID name\r\n"),
        FailureRow("* 5 FETCH\r\n"),
        FailureRow("* 4294967296 EXISTS\r\n"),
        FailureRow("* 99999999999999999999999 EXISTS\r\n"),
        FailureRow("* 5 EXISTS extra\r\n"),
        FailureRow("* XFOO {99999999}\r\n", .literalTooLarge),
    ]

    @Test("rejects malformed untagged responses", arguments: failures)
    func fails(_ row: FailureRow) { ParseTable.checkFailure(row) }
}
