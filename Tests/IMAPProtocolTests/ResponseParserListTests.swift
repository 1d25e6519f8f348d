import IMAPProtocol
import Testing

@Suite("Response parser: LIST, LSUB, STATUS, NAMESPACE")
struct ResponseParserListTests {
    static func list(_ attributes: [String], _ delimiter: Character?, _ name: String, _ extended: [String] = []) -> ResponseEvent {
        .untagged(.list(ListResponse(attributes: attributes, delimiter: delimiter,
                                     mailbox: MailboxName(bytes: Array(name.utf8)), extendedData: extended)))
    }

    static func status(_ name: String, _ values: [StatusAttribute: UInt64]) -> ResponseEvent {
        .untagged(.mailboxStatus(MailboxStatus(mailbox: MailboxName(bytes: Array(name.utf8)), values: values)))
    }

    static func namespace(_ prefix: String, _ delimiter: Character?) -> NamespaceDescription {
        NamespaceDescription(prefix: MailboxName(bytes: Array(prefix.utf8)), delimiter: delimiter)
    }

    static let rows: [ParseRow] = [
        ParseRow("* LIST (\\HasNoChildren) \"/\" INBOX\r\n", list(["\\HasNoChildren"], "/", "INBOX")),
        ParseRow("* LIST (\\HasChildren \\Noselect) \".\" \"Public Folders\"\r\n",
                 list(["\\HasChildren", "\\Noselect"], ".", "Public Folders")),
        ParseRow("* LIST () NIL \"flat\"\r\n", list([], nil, "flat")),
        ParseRow("* LIST (\\Noselect) \"\\\\\" {5}\r\nhello\r\n", list(["\\Noselect"], "\\", "hello")),
        ParseRow("* LIST (\\HasNoChildren \\Sent) \"/\" \"[Gmail]/Sent Mail\"\r\n",
                 list(["\\HasNoChildren", "\\Sent"], "/", "[Gmail]/Sent Mail")),
        ParseRow("* LIST (\\Subscribed) \"/\" \"Foo\" (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n",
                 list(["\\Subscribed"], "/", "Foo", ["\"CHILDINFO\" (\"SUBSCRIBED\")"])),
        ParseRow("* LIST () \"/\" \"Bar\" (\"OLDNAME\" (\"Baz\") \"X-EXT\" NIL)\r\n",
                 list([], "/", "Bar", ["\"OLDNAME\" (\"Baz\")", "\"X-EXT\" NIL"])),
        ParseRow("* LIST (\\HasNoChildren) \"/\" Entw&APw-rfe\r\n", list(["\\HasNoChildren"], "/", "Entw&APw-rfe")),
        ParseRow("* LIST (\\HasNoChildren) \"/\" \"a \\\"b\\\"\"\r\n", list(["\\HasNoChildren"], "/", "a \"b\"")),
        ParseRow("* list (\\hasnochildren) \"/\" inbox  \r\n", list(["\\hasnochildren"], "/", "inbox")),
        ParseRow("* LIST (\\HasNoChildren) \"/\" \"\"\r\n", list(["\\HasNoChildren"], "/", "")),
        ParseRow("* LIST (\\HasNoChildren) \"\" x\r\n", list(["\\HasNoChildren"], nil, "x")),
        ParseRow("* LSUB () \"/\" \"Archive\"\r\n",
                 .untagged(.lsub(ListResponse(attributes: [], delimiter: "/", mailbox: MailboxName(bytes: Array("Archive".utf8)))))),
        ParseRow("* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n",
                 status("blurdybloop", [.messages: 231, .uidNext: 44292])),
        ParseRow("* STATUS \"INBOX\" (MESSAGES 1 UIDVALIDITY 5 HIGHESTMODSEQ 90000000000 X-GUID 123abc UNSEEN 0 )\r\n",
                 status("INBOX", [.messages: 1, .uidValidity: 5, .highestModSeq: 90_000_000_000, .unseen: 0])),
        ParseRow("* STATUS {5}\r\nhello (MESSAGES 0 RECENT 0 SIZE 12345)\r\n",
                 status("hello", [.messages: 0, .recent: 0, .size: 12345])),
        ParseRow("* STATUS Sent ()\r\n", status("Sent", [:])),
        ParseRow("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n",
                 .untagged(.namespace(NamespaceResponse(personal: [namespace("", "/")], otherUsers: [], shared: [])))),
        ParseRow("* NAMESPACE ((\"INBOX.\" \".\")) ((\"user.\" \".\")) ((\"shared.\" \".\"))\r\n",
                 .untagged(.namespace(NamespaceResponse(personal: [namespace("INBOX.", ".")], otherUsers: [namespace("user.", ".")],
                                                        shared: [namespace("shared.", ".")])))),
        ParseRow("* NAMESPACE ((\"\" \"/\" \"X-PARAM\" (\"FLAG1\" \"FLAG2\"))) NIL ((\"Public Folders/\" \"/\")(\"#shared/\" NIL))\r\n",
                 .untagged(.namespace(NamespaceResponse(personal: [namespace("", "/")], otherUsers: [],
                                                        shared: [namespace("Public Folders/", "/"), namespace("#shared/", nil)])))),
    ]

    @Test("parses each listing", arguments: rows)
    func parses(_ row: ParseRow) { ParseTable.check(row) }

    @Test("needs more bytes for every prefix, consuming nothing", arguments: rows)
    func incomplete(_ row: ParseRow) { ParseTable.checkIncomplete(row) }

    static let failures: [FailureRow] = [
        FailureRow("* LIST (\\HasNoChildren) \"ab\" INBOX\r\n"),
        FailureRow("* LIST \\HasNoChildren \"/\" INBOX\r\n"),
        FailureRow("* LIST (\\HasNoChildren) \"/\"\r\n"),
        FailureRow("* LIST (\\HasNoChildren) \"/\" INBOX (\"CHILDINFO\")\r\n"),
        FailureRow("* STATUS INBOX (MESSAGES x)\r\n"),
        FailureRow("* STATUS INBOX MESSAGES 1\r\n"),
        FailureRow("* NAMESPACE ((\"\" \"/\")) NIL\r\n"),
        FailureRow("* NAMESPACE (\"\" \"/\") NIL NIL\r\n"),
        FailureRow("* LIST () \"/\" {2000000}\r\n", .literalTooLarge),
    ]

    @Test("rejects malformed listings", arguments: failures)
    func fails(_ row: FailureRow) { ParseTable.checkFailure(row) }

    @Test("mailbox names from LIST decode as modified UTF-7")
    func displayName() {
        guard case .untagged(.list(let list))? = ParserHarness.events("* LIST () \"/\" \"Entw&APw-rfe\"\r\n").first else {
            Issue.record("no LIST")
            return
        }
        #expect(list.mailbox.displayName == "Entwürfe")
        #expect(list.hasAttribute("\\noselect") == false)
    }
}
