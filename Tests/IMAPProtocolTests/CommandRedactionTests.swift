import IMAPProtocol
import Testing

@Suite("Command redaction for logs")
struct CommandRedactionTests {
    static let rows: [(Command, String)] = [
        (.login(username: "alice", password: "hunter2"), "LOGIN alice ***"),
        (.login(username: "alice smith", password: ""), "LOGIN \"alice smith\" ***"),
        (.authenticate(mechanism: "PLAIN", initialResponse: "AGFsaWNlAGh1bnRlcjI="), "AUTHENTICATE PLAIN ***"),
        (.authenticate(mechanism: "PLAIN", initialResponse: ""), "AUTHENTICATE PLAIN ***"),
        (.authenticate(mechanism: "XOAUTH2", initialResponse: nil), "AUTHENTICATE XOAUTH2"),
        (.select(MailboxName(bytes: Array("Sent Items".utf8)), condStore: true), "SELECT \"Sent Items\" (CONDSTORE)"),
        (.create(MailboxName(bytes: Array("Entwürfe".utf8))), "CREATE {9}\\r\\nEntwürfe"),
        (.uidFetch(set: "1:*", items: [.uid, .bodyPeek(section: "")], changedSince: nil), "UID FETCH 1:* (UID BODY.PEEK[])"),
        (.noop, "NOOP"),
        (.login(username: "a\u{0}", password: "hunter2"), "LOGIN (unencodable)"),
    ]

    @Test("replaces secrets with *** and shows the rest as on the wire", arguments: rows)
    func redacts(_ row: (Command, String)) {
        #expect(row.0.redactedDescription == row.1)
        #expect(!row.0.redactedDescription.contains("hunter2"))
        #expect(!row.0.redactedDescription.contains("AGFsaWNl"))
    }
}
