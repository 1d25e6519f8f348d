/// Server output in the style of real servers, as captured from sessions (addresses and
/// identifiers replaced). Bodies carry their exact literal sizes.
enum ServerTranscripts {
    static let dovecotBody = "From: a@example.org\r\nSubject: hi\r\n\r\nbody with ) and {5}\r\n"

    static let dovecot = """
        * OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS AUTH=PLAIN] Dovecot (Debian) ready.\r
        A1 OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE SORT SORT=DISPLAY THREAD=REFERENCES THREAD=REFS MULTIAPPEND URL-PARTIAL CATENATE UNSELECT CHILDREN NAMESPACE UIDPLUS LIST-EXTENDED I18NLEVEL=1 CONDSTORE QRESYNC ESEARCH ESORT SEARCHRES WITHIN CONTEXT=SEARCH LIST-STATUS BINARY MOVE SNIPPET=FUZZY PREVIEW=FUZZY PREVIEW STATUS=SIZE SAVEDATE LITERAL+ NOTIFY SPECIAL-USE COMPRESS=DEFLATE] Logged in\r
        * ID ("name" "Dovecot")\r
        A2 OK ID completed (0.001 + 0.000 secs).\r
        * NAMESPACE (("" "/")) NIL NIL\r
        A3 OK Namespace completed (0.001 + 0.000 secs).\r
        * LIST (\\HasNoChildren \\Trash) "/" Trash\r
        * LIST (\\HasNoChildren \\Sent) "/" Sent\r
        * LIST (\\HasChildren) "/" Archive\r
        * LIST (\\HasNoChildren) "/" Archive/2023\r
        * LIST (\\HasNoChildren) "/" "Entw&APw-rfe"\r
        * LIST (\\HasNoChildren) "/" INBOX\r
        A4 OK List completed (0.001 + 0.000 secs).\r
        * STATUS Sent (MESSAGES 0 UIDNEXT 1 UIDVALIDITY 1700000001 SIZE 0)\r
        A5 OK Status completed (0.001 + 0.000 secs).\r
        * FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)\r
        * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded \\*)] Flags permitted.\r
        * 2 EXISTS\r
        * 0 RECENT\r
        * OK [UIDVALIDITY 1700000000] UIDs valid\r
        * OK [UIDNEXT 4] Predicted next UID\r
        * OK [HIGHESTMODSEQ 7] Highest\r
        A6 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r
        * 1 FETCH (UID 1 RFC822.SIZE \(dovecotBody.utf8.count) FLAGS (\\Seen $Forwarded) INTERNALDATE "01-Feb-2024 10:00:00 +0100" MODSEQ (3) BODY[] {\(dovecotBody.utf8.count)}\r
        \(dovecotBody))\r
        * 2 FETCH (UID 3 RFC822.SIZE 0 FLAGS () INTERNALDATE " 9-Feb-2024 23:59:59 -0500" MODSEQ (7) BODY[] {0}\r
        )\r
        A7 OK Fetch completed (0.001 + 0.000 + 0.001 secs).\r
        A8 OK [APPENDUID 1700000000 4] Append completed (0.004 + 0.000 + 0.003 secs).\r
        * BYE Logging out\r
        A9 OK Logout completed (0.001 + 0.000 secs).\r

        """

    static let gmailBody = "Hello Gmail\n"

    static let gmail = """
        * OK Gimap ready for requests from 192.0.2.1 h1mb123456\r
        A1 OK [CAPABILITY IMAP4rev1 UNSELECT IDLE NAMESPACE QUOTA ID XLIST CHILDREN X-GM-EXT-1 UIDPLUS COMPRESS=DEFLATE ENABLE MOVE CONDSTORE ESEARCH UTF8=ACCEPT LIST-EXTENDED LIST-STATUS LITERAL- SPECIAL-USE APPENDLIMIT=35651584] alice@gmail.com authenticated (Success)\r
        * LIST (\\HasNoChildren) "/" "INBOX"\r
        * LIST (\\HasChildren \\Noselect) "/" "[Gmail]"\r
        * LIST (\\All \\HasNoChildren) "/" "[Gmail]/All Mail"\r
        * LIST (\\HasNoChildren \\Sent) "/" "[Gmail]/Sent Mail"\r
        * LIST (\\Flagged \\HasNoChildren) "/" "[Gmail]/Starred"\r
        A2 OK Success\r
        * FLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing)\r
        * OK [PERMANENTFLAGS (\\Answered \\Flagged \\Draft \\Deleted \\Seen $NotPhishing $Phishing \\*)] Flags permitted.\r
        * OK [UIDVALIDITY 1] UIDs valid.\r
        * 1 EXISTS\r
        * 0 RECENT\r
        * OK [UIDNEXT 8] Predicted next UID.\r
        * OK [HIGHESTMODSEQ 1234567]\r
        A3 OK [READ-WRITE] [Gmail]/All Mail selected. (Success)\r
        * 1 FETCH (X-GM-THRID 1266894439832287888 X-GM-MSGID 1278455344230334865 X-GM-LABELS ("\\\\Important" "\\\\Inbox" Work) UID 5 FLAGS (\\Seen) INTERNALDATE "02-Jan-2024 09:08:07 +0000" RFC822.SIZE \(gmailBody.utf8.count) BODY[] {\(gmailBody.utf8.count)}\r
        \(gmailBody))\r
        A4 OK Success\r
        * BYE LOGOUT Requested\r
        A5 OK 73 good day (Success)\r

        """

    static let exchangeBody = "Exchange!"

    static let exchange = """
        * OK The Microsoft Exchange IMAP4 service is ready. [TQBXADIAUABSADAAMQBDAEEAMAAwADQAMgAuAG4AYQBtAHAAcgBkAA==]\r
        A1 OK [CAPABILITY IMAP4 IMAP4rev1 AUTH=PLAIN AUTH=XOAUTH2 SASL-IR UIDPLUS MOVE ID UNSELECT CHILDREN IDLE NAMESPACE LITERAL+] AUTHENTICATE completed.\r
        * NAMESPACE (("" "/")) NIL NIL\r
        A2 OK NAMESPACE completed.\r
        * LIST (\\Marked \\HasNoChildren) "/" Archive\r
        * LIST (\\HasChildren) "/" Calendar\r
        * LIST (\\HasNoChildren \\Drafts) "/" Drafts\r
        * LIST (\\HasNoChildren \\Sent) "/" "Sent Items"\r
        * LIST (\\Noselect \\HasChildren) "/" "Public Folders"\r
        A3 OK LIST completed.\r
        * 1 EXISTS\r
        * 0 RECENT\r
        * FLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)\r
        * OK [PERMANENTFLAGS (\\Seen \\Answered \\Flagged \\Deleted \\Draft $MDNSent)] Permanent flags\r
        * OK [UNSEEN 2] Is the first unseen message\r
        * OK [UIDVALIDITY 14] UIDVALIDITY value\r
        * OK [UIDNEXT 120] The next unique identifier value\r
        A4 OK [READ-WRITE] SELECT completed.\r
        * 1 FETCH (UID 115 FLAGS (\\Seen) INTERNALDATE " 3-Mar-2024 14:05:06 +0100" RFC822.SIZE \(exchangeBody.utf8.count) BODY[] {\(exchangeBody.utf8.count)}\r
        \(exchangeBody))\r
        A5 OK FETCH completed.\r
        A6 NO [TRYCREATE] Mailbox doesn't exist: Foo\r
        A7 BAD Command Argument Error. 11\r
        * BYE Microsoft Exchange Server IMAP4 server signing off.\r
        A8 OK LOGOUT completed.\r

        """

    static let all = [("Dovecot", dovecot), ("Gmail", gmail), ("Exchange", exchange)]
}
