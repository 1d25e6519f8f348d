import IMAPProtocol
import Testing

@Suite("Modified UTF-7 (RFC 3501 §5.1.3)")
struct ModifiedUTF7Tests {
    static let table: [(String, String)] = [
        ("INBOX", "INBOX"),
        ("", ""),
        ("Entwürfe", "Entw&APw-rfe"),
        ("Отправленные", "&BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-"),
        ("日本語", "&ZeVnLIqe-"),
        ("~peter/mail/台北/日本語", "~peter/mail/&U,BTFw-/&ZeVnLIqe-"),
        ("R&D", "R&-D"),
        ("&", "&-"),
        ("a \"quoted\" name", "a \"quoted\" name"),
        ("😀", "&2D3eAA-"),
        ("Boîte d’envoi", "Bo&AO4-te d&IBk-envoi"),
        ("Éléments envoyés", "&AMk-l&AOk-ments envoy&AOk-s"),
        ("München & Köln", "M&APw-nchen &- K&APY-ln"),
        ("a\tb", "a&AAk-b"),
    ]

    @Test("encodes each name to its canonical form", arguments: table)
    func encodes(_ row: (String, String)) {
        #expect(ModifiedUTF7.encode(row.0) == Array(row.1.utf8))
    }

    @Test("decodes each canonical form back to the name", arguments: table)
    func decodes(_ row: (String, String)) throws {
        #expect(try ModifiedUTF7.decode(Array(row.1.utf8)) == row.0)
    }

    static let invalid: [(String, [UInt8])] = [
        ("unterminated run", Array("&Jjo".utf8)),
        ("unterminated run after text", Array("Entw&APw".utf8)),
        ("character outside the modified alphabet", Array("&Jj*-".utf8)),
        ("standard base64 slash", Array("&U/BTFw-".utf8)),
        ("ampersand inside a run", Array("&&-".utf8)),
        ("printable ASCII encoded", Array("&AGE-".utf8)),
        ("non-zero leftover bits", Array("&APx-".utf8)),
        ("a whole extra sextet", Array("&APwA-".utf8)),
        ("unpaired high surrogate", Array("&2D0-".utf8)),
        ("unpaired low surrogate", Array("&3gA-".utf8)),
        ("raw 8-bit UTF-8", Array("Entwürfe".utf8)),
        ("control character", [0x61, 0x0A, 0x62]),
    ]

    @Test("rejects what is not canonical modified UTF-7", arguments: invalid)
    func rejects(_ row: (String, [UInt8])) {
        #expect {
            try ModifiedUTF7.decode(row.1)
        } throws: { error in
            (error as? IMAPProtocolError)?.code == .invalidMailboxName
        }
    }

    @Test("mailbox names expose the decoded display name and fall back to UTF-8")
    func mailboxNameDisplay() {
        #expect(MailboxName(displayName: "Entwürfe").bytes == Array("Entw&APw-rfe".utf8))
        #expect(MailboxName(bytes: Array("Entw&APw-rfe".utf8)).displayName == "Entwürfe")
        #expect(MailboxName(bytes: Array("Entwürfe".utf8)).displayName == "Entwürfe")
        #expect(MailboxName(bytes: Array("inbox".utf8)).isInbox)
    }

    @Test("every scalar of a mixed string survives a round trip")
    func roundTrip() throws {
        let name = "Ünïcødé & friends 🎉 / 中文 / \u{1}"
        #expect(try ModifiedUTF7.decode(ModifiedUTF7.encode(name)) == name)
    }
}
