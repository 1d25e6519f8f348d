import IMAPProtocol
import Testing

@Suite("Response parser: status responses, response codes, continuations")
struct ResponseParserStatusTests {
    static let rows: [ParseRow] = [
        ParseRow("* OK Dovecot ready.\r\n", .status(.ok, "Dovecot ready.")),
        ParseRow("* OK [CAPABILITY IMAP4rev1 SASL-IR ID ENABLE IDLE LITERAL+ AUTH=PLAIN] Dovecot ready.\r\n",
                 .status(.ok, .capability(["IMAP4rev1", "SASL-IR", "ID", "ENABLE", "IDLE", "LITERAL+", "AUTH=PLAIN"].map(Capability.init)),
                         "Dovecot ready.")),
        ParseRow("* PREAUTH IMAP4rev1 server logged in as Smith\r\n", .status(.preauth, "IMAP4rev1 server logged in as Smith")),
        ParseRow("* BYE Autologout; idle for too long\r\n", .status(.bye, "Autologout; idle for too long")),
        ParseRow("* NO Disk is 98% full, please delete unnecessary data\r\n",
                 .status(.no, "Disk is 98% full, please delete unnecessary data")),
        ParseRow("A1 OK LOGIN completed\r\n", .tagged("A1", .ok, "LOGIN completed")),
        ParseRow("A1 OK\r\n", .tagged("A1", .ok, "")),
        ParseRow("A1 OK   \r\n", .tagged("A1", .ok, "")),
        ParseRow("a1 ok done  \r\n", .tagged("a1", .ok, "done")),
        ParseRow("A1 OK done\n", .tagged("A1", .ok, "done")),
        ParseRow("\r\n\r\nA1 OK after blank lines\r\n", .tagged("A1", .ok, "after blank lines")),
        ParseRow("A1 OK Grüße ✓\r\n", .tagged("A1", .ok, "Grüße ✓")),
        ParseRow("A2 NO [TRYCREATE] No such mailbox\r\n", .tagged("A2", .no, .tryCreate, "No such mailbox")),
        ParseRow("A3 BAD [PARSE] Command unknown\r\n", .tagged("A3", .bad, .parse, "Command unknown")),
        ParseRow("A4 OK [APPENDUID 38505 3955] APPEND completed\r\n",
                 .tagged("A4", .ok, .appendUID(uidValidity: 38505, uids: [UIDRange(3955)]), "APPEND completed")),
        ParseRow("A4 OK [APPENDUID 38505 3955:3957,3960] done\r\n",
                 .tagged("A4", .ok, .appendUID(uidValidity: 38505, uids: [UIDRange(3955, 3957), UIDRange(3960)]), "done")),
        ParseRow("A5 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n",
                 .tagged("A5", .ok, .copyUID(uidValidity: 38505, source: [UIDRange(304), UIDRange(319, 320)],
                                             destination: [UIDRange(3956, 3958)]), "Done")),
        ParseRow("* OK [UIDVALIDITY 3857529045] UIDs valid\r\n", .status(.ok, .uidValidity(3_857_529_045), "UIDs valid")),
        ParseRow("* OK [UIDNEXT 4392] Predicted next UID\r\n", .status(.ok, .uidNext(4392), "Predicted next UID")),
        ParseRow("* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n",
                 .status(.ok, .permanentFlags([.deleted, .seen, .wildcard]), "Limited")),
        ParseRow("* OK [PERMANENTFLAGS ()] No permanent flags permitted\r\n",
                 .status(.ok, .permanentFlags([]), "No permanent flags permitted")),
        ParseRow("* OK [HIGHESTMODSEQ 715194045007] Highest\r\n", .status(.ok, .highestModSeq(715_194_045_007), "Highest")),
        ParseRow("* OK [NOMODSEQ] Sorry, this mailbox format doesn't support modsequences\r\n",
                 .status(.ok, .noModSeq, "Sorry, this mailbox format doesn't support modsequences")),
        ParseRow("A6 OK [READ-WRITE] SELECT completed\r\n", .tagged("A6", .ok, .readWrite, "SELECT completed")),
        ParseRow("A6 OK [READ-ONLY] EXAMINE completed\r\n", .tagged("A6", .ok, .readOnly, "EXAMINE completed")),
        ParseRow("A8 OK [READ-WRITE]\r\n", .tagged("A8", .ok, .readWrite, "")),
        ParseRow("A8 OK [read-write]  done\r\n", .tagged("A8", .ok, .readWrite, "done")),
        ParseRow("* OK [ALERT] System shutdown in 10 minutes\r\n", .status(.ok, .alert, "System shutdown in 10 minutes")),
        ParseRow("A7 NO [OVERQUOTA] Quota exceeded\r\n", .tagged("A7", .no, .overQuota, "Quota exceeded")),
        ParseRow("A7 NO [TOOBIG] Message too large\r\n", .tagged("A7", .no, .tooBig, "Message too large")),
        ParseRow("A7 NO [UNAVAILABLE] Try later\r\n", .tagged("A7", .no, .unavailable, "Try later")),
        ParseRow("A7 NO [LIMIT] Too many\r\n", .tagged("A7", .no, .limit, "Too many")),
        ParseRow("A7 NO [INUSE] Mailbox in use\r\n", .tagged("A7", .no, .inUse, "Mailbox in use")),
        ParseRow("A7 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n",
                 .tagged("A7", .no, .authenticationFailed, "Authentication failed.")),
        ParseRow("A7 NO [AUTHORIZATIONFAILED] No\r\n", .tagged("A7", .no, .authorizationFailed, "No")),
        ParseRow("A7 NO [EXPIRED] Password expired\r\n", .tagged("A7", .no, .expired, "Password expired")),
        ParseRow("A7 NO [PRIVACYREQUIRED] Use TLS\r\n", .tagged("A7", .no, .privacyRequired, "Use TLS")),
        ParseRow("A7 NO [CONTACTADMIN] Call\r\n", .tagged("A7", .no, .contactAdmin, "Call")),
        ParseRow("A7 NO [SERVERBUG] Oops\r\n", .tagged("A7", .no, .serverBug, "Oops")),
        ParseRow("A7 NO [CANNOT] Cannot\r\n", .tagged("A7", .no, .cannot, "Cannot")),
        ParseRow("A7 NO [ALREADYEXISTS] Mailbox exists\r\n", .tagged("A7", .no, .alreadyExists, "Mailbox exists")),
        ParseRow("A7 NO [NONEXISTENT] Unknown mailbox\r\n", .tagged("A7", .no, .nonExistent, "Unknown mailbox")),
        ParseRow("* OK [UNSEEN 12] Message 12 is first unseen\r\n",
                 .status(.ok, .other(name: "UNSEEN", arguments: "12"), "Message 12 is first unseen")),
        ParseRow("* OK [X-UNKNOWN some args \"with ] bracket\"] text\r\n",
                 .status(.ok, .other(name: "X-UNKNOWN", arguments: "some args \"with ] bracket\""), "text")),
        ParseRow("* NO [WEBALERT https://example.org/x?y=1] Web login required\r\n",
                 .status(.no, .other(name: "WEBALERT", arguments: "https://example.org/x?y=1"), "Web login required")),
        ParseRow("* OK [X-NOARGS] ok\r\n", .status(.ok, .other(name: "X-NOARGS", arguments: nil), "ok")),
        ParseRow("* OK [UIDVALIDITY abc] bad argument\r\n",
                 .status(.ok, .other(name: "UIDVALIDITY", arguments: "abc"), "bad argument")),
        ParseRow("* OK [ALERT missing bracket\r\n", .status(.ok, "[ALERT missing bracket")),
        ParseRow("* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN]\r\n",
                 .status(.ok, .capability([.imap4rev1, Capability("AUTH=PLAIN")]), "")),
        ParseRow("+ Ready for literal data\r\n", .continuation("Ready for literal data")),
        ParseRow("+\r\n", .continuation("")),
        ParseRow("+ \r\n", .continuation("")),
        ParseRow("+ YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=\r\n",
                 .continuation("YGgGCSqGSIb3EgECAgIBAAD/////6jcyG4GE3KkTzBeBiVHeceP2CWY0SR0fAQAgAAQEBAQ=")),
    ]

    @Test("parses each status response", arguments: rows)
    func parses(_ row: ParseRow) { ParseTable.check(row) }

    @Test("needs more bytes for every prefix, consuming nothing", arguments: rows)
    func incomplete(_ row: ParseRow) { ParseTable.checkIncomplete(row) }

    static let failures: [FailureRow] = [
        FailureRow("A1 MAYBE done\r\n"),
        FailureRow("A1 PREAUTH done\r\n"),
        FailureRow("A1\r\n"),
        FailureRow("* \r\n"),
        FailureRow("*\r\n"),
        FailureRow("\u{0}\u{1}garbage\r\n"),
        FailureRow("A1 OK done\rX\n"),
        FailureRow("(garbage)\r\n"),
        FailureRow(" A1 OK leading space\r\n"),
        FailureRow("\r\r\n"),
    ]

    @Test("rejects malformed status responses", arguments: failures)
    func fails(_ row: FailureRow) { ParseTable.checkFailure(row) }

    @Test("a sequence of responses parses one event per call")
    func sequence() {
        let run = ParserHarness.run("* OK ready\r\n+ go\r\nA1 OK done\r\n")
        #expect(run.events == [.status(.ok, "ready"), .continuation("go"), .tagged("A1", .ok, "done")])
    }
}
