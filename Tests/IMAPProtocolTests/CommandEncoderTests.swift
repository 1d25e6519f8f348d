import IMAPProtocol
import NIOCore
import Testing

/// The encoded parts as one string, `⏸` marking each wait for a continuation.
func wire(_ command: EncodedCommand) -> String {
    command.parts.map { part in
        switch part {
        case .bytes(let buffer): String(decoding: buffer.readableBytesView, as: UTF8.self)
        case .waitForContinuation: "⏸"
        }
    }.joined()
}

struct EncoderRow: Sendable, CustomTestStringConvertible {
    var command: Command
    var options: CommandEncoder.Options = .init()
    var expected: String
    var testDescription: String { expected }
}

@Suite("Command encoder (RFC 3501 §6)")
struct CommandEncoderTests {
    static func mailbox(_ name: String) -> MailboxName { MailboxName(bytes: Array(name.utf8)) }
    static let plus = CommandEncoder.Options(literalPlus: true)
    static let minus = CommandEncoder.Options(literalMinus: true)
    static let utf8 = CommandEncoder.Options(utf8Accept: true)

    static let rows: [EncoderRow] = [
        EncoderRow(command: .capability, expected: "A1 CAPABILITY\r\n"),
        EncoderRow(command: .noop, expected: "A1 NOOP\r\n"),
        EncoderRow(command: .logout, expected: "A1 LOGOUT\r\n"),
        EncoderRow(command: .startTLS, expected: "A1 STARTTLS\r\n"),
        EncoderRow(command: .namespace, expected: "A1 NAMESPACE\r\n"),
        EncoderRow(command: .compressDeflate, expected: "A1 COMPRESS DEFLATE\r\n"),
        EncoderRow(command: .login(username: "alice", password: "secret"), expected: "A1 LOGIN alice secret\r\n"),
        EncoderRow(command: .login(username: "alice@example.com", password: "p a\"s\\s"),
                   expected: "A1 LOGIN alice@example.com \"p a\\\"s\\\\s\"\r\n"),
        EncoderRow(command: .login(username: "nil", password: ""), expected: "A1 LOGIN \"nil\" \"\"\r\n"),
        EncoderRow(command: .login(username: "a]b", password: "x*y"), expected: "A1 LOGIN a]b \"x*y\"\r\n"),
        EncoderRow(command: .login(username: "bob", password: "pässwörd"),
                   expected: "A1 LOGIN bob {10}\r\n⏸pässwörd\r\n"),
        EncoderRow(command: .login(username: "bob", password: "pässwörd"), options: plus,
                   expected: "A1 LOGIN bob {10+}\r\npässwörd\r\n"),
        EncoderRow(command: .login(username: "bob", password: "pässwörd"), options: minus,
                   expected: "A1 LOGIN bob {10+}\r\npässwörd\r\n"),
        EncoderRow(command: .login(username: "bob", password: "pässwörd"), options: utf8,
                   expected: "A1 LOGIN bob \"pässwörd\"\r\n"),
        EncoderRow(command: .login(username: "bob", password: "line\r\nbreak"),
                   expected: "A1 LOGIN bob {11}\r\n⏸line\r\nbreak\r\n"),
        EncoderRow(command: .authenticate(mechanism: "PLAIN", initialResponse: "AGFsaWNlAHNlY3JldA=="),
                   expected: "A1 AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==\r\n"),
        EncoderRow(command: .authenticate(mechanism: "PLAIN", initialResponse: ""),
                   expected: "A1 AUTHENTICATE PLAIN =\r\n"),
        EncoderRow(command: .authenticate(mechanism: "XOAUTH2", initialResponse: nil),
                   expected: "A1 AUTHENTICATE XOAUTH2\r\n"),
        EncoderRow(command: .enable([.condStore, .utf8Accept]), expected: "A1 ENABLE CONDSTORE UTF8=ACCEPT\r\n"),
        EncoderRow(command: .id(nil), expected: "A1 ID NIL\r\n"),
        EncoderRow(command: .id([("name", "imapcrate"), ("version", "0.1 \"beta\"")]),
                   expected: "A1 ID (\"name\" \"imapcrate\" \"version\" \"0.1 \\\"beta\\\"\")\r\n"),
        EncoderRow(command: .list(reference: mailbox(""), pattern: mailbox("*"), returnOptions: []),
                   expected: "A1 LIST \"\" \"*\"\r\n"),
        EncoderRow(command: .list(reference: mailbox(""), pattern: mailbox("*"), returnOptions: ["SPECIAL-USE", "SUBSCRIBED"]),
                   expected: "A1 LIST \"\" \"*\" RETURN (SPECIAL-USE SUBSCRIBED)\r\n"),
        EncoderRow(command: .lsub(reference: mailbox(""), pattern: mailbox("%")), expected: "A1 LSUB \"\" \"%\"\r\n"),
        EncoderRow(command: .status(.inbox, [.messages, .uidNext, .uidValidity, .highestModSeq]),
                   expected: "A1 STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY HIGHESTMODSEQ)\r\n"),
        EncoderRow(command: .status(MailboxName(displayName: "Entwürfe"), [.unseen, .size]),
                   expected: "A1 STATUS Entw&APw-rfe (UNSEEN SIZE)\r\n"),
        EncoderRow(command: .select(mailbox("inbox"), condStore: false), expected: "A1 SELECT INBOX\r\n"),
        EncoderRow(command: .select(mailbox("Sent Items"), condStore: true), expected: "A1 SELECT \"Sent Items\" (CONDSTORE)\r\n"),
        EncoderRow(command: .examine(mailbox("[Gmail]/All Mail"), condStore: false),
                   expected: "A1 EXAMINE \"[Gmail]/All Mail\"\r\n"),
        EncoderRow(command: .uidFetch(set: "1:*", items: [.uid, .flags, .internalDate, .rfc822Size, .bodyPeek(section: "")],
                                      changedSince: nil),
                   expected: "A1 UID FETCH 1:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])\r\n"),
        EncoderRow(command: .uidFetch(set: "1:100,200", items: [.uid, .modSeq, .binaryPeek(section: "")], changedSince: 12_345),
                   expected: "A1 UID FETCH 1:100,200 (UID MODSEQ BINARY.PEEK[]) (CHANGEDSINCE 12345)\r\n"),
        EncoderRow(command: .uidFetch(set: "5", items: [.bodyPeek(section: "HEADER.FIELDS (MESSAGE-ID)"), .raw("X-GM-LABELS")],
                                      changedSince: nil),
                   expected: "A1 UID FETCH 5 (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)] X-GM-LABELS)\r\n"),
        EncoderRow(command: .uidSearch(criteria: "UID 100:*"), expected: "A1 UID SEARCH UID 100:*\r\n"),
        EncoderRow(command: .create(MailboxName(displayName: "Отправленные")),
                   expected: "A1 CREATE &BB4EQgQ,BEAEMAQyBDsENQQ9BD0ESwQ1-\r\n"),
        EncoderRow(command: .create(MailboxName(displayName: "R&D/a \"q\"")), expected: "A1 CREATE \"R&-D/a \\\"q\\\"\"\r\n"),
        EncoderRow(command: .create(mailbox("Entwürfe")), expected: "A1 CREATE {9}\r\n⏸Entwürfe\r\n"),
        EncoderRow(command: .create(mailbox("Entwürfe")), options: utf8, expected: "A1 CREATE \"Entwürfe\"\r\n"),
        EncoderRow(command: .create(mailbox("NIL")), expected: "A1 CREATE \"NIL\"\r\n"),
        EncoderRow(command: .subscribe(mailbox("Archive/2024")), expected: "A1 SUBSCRIBE Archive/2024\r\n"),
    ]

    @Test("encodes every command", arguments: rows)
    func encodes(_ row: EncoderRow) throws {
        let encoded = try CommandEncoder(options: row.options).encode(row.command, tag: "A1")
        #expect(wire(encoded) == row.expected)
    }

    @Test("sends long strings as literals and honours the LITERAL- size limit")
    func literalChoice() throws {
        let long = String(repeating: "ab cd ", count: 400)
        let sync = try CommandEncoder().encode(.login(username: "u", password: long), tag: "T")
        #expect(wire(sync) == "T LOGIN u {2400}\r\n⏸\(long)\r\n")
        let big = String(repeating: "é", count: 2_100)
        let minus = try CommandEncoder(options: Self.minus).encode(.login(username: "u", password: big), tag: "T")
        #expect(wire(minus) == "T LOGIN u {4200}\r\n⏸\(big)\r\n")
        let small = String(repeating: "é", count: 2_048)
        let minusSmall = try CommandEncoder(options: Self.minus).encode(.login(username: "u", password: small), tag: "T")
        #expect(wire(minusSmall) == "T LOGIN u {4096+}\r\n\(small)\r\n")
    }

    static let unencodable: [(String, Command, String)] = [
        ("NUL in a password", .login(username: "u", password: "a\u{0}b"), "A1"),
        ("NUL in a mailbox", .create(MailboxName(bytes: [0x61, 0x00])), "A1"),
        ("tag with a space", .noop, "A 1"),
        ("tag with a plus", .noop, "A+1"),
        ("empty tag", .noop, ""),
        ("bad sequence set", .uidFetch(set: "1:*\r\nA2 LOGOUT", items: [.uid], changedSince: nil), "A1"),
        ("letters in a sequence set", .uidFetch(set: "all", items: [.uid], changedSince: nil), "A1"),
        ("no FETCH items", .uidFetch(set: "1:*", items: [], changedSince: nil), "A1"),
        ("section with ]", .uidFetch(set: "1", items: [.bodyPeek(section: "1]")], changedSince: nil), "A1"),
        ("raw item with CRLF", .uidFetch(set: "1", items: [.raw("UID\r\n")], changedSince: nil), "A1"),
        ("search criteria with CRLF", .uidSearch(criteria: "ALL\r\nA2 LOGOUT"), "A1"),
        ("capability with a space", .enable([Capability("CONDSTORE X")]), "A1"),
        ("mechanism with a space", .authenticate(mechanism: "PLAIN X", initialResponse: nil), "A1"),
        ("initial response with CRLF", .authenticate(mechanism: "PLAIN", initialResponse: "a\r\nb"), "A1"),
        ("STATUS without attributes", .status(.inbox, []), "A1"),
        ("LIST return option with a space", .list(reference: mailbox(""), pattern: mailbox("*"), returnOptions: ["A B"]), "A1"),
    ]

    @Test("refuses what cannot go on the wire", arguments: unencodable)
    func refuses(_ row: (String, Command, String)) {
        #expect {
            try CommandEncoder().encode(row.1, tag: row.2)
        } throws: { error in
            (error as? IMAPProtocolError)?.code == .unencodable
        }
    }

    @Test("encodes APPEND start, message headers and end")
    func append() throws {
        let date = try InternalDate(parsing: "17-Jul-1996 02:44:25 -0700")
        let header = AppendMessageHeader(flags: [.seen, Flag("$Work"), .recent, .wildcard, Flag("bad flag")],
                                         internalDate: date, byteCount: 310)
        #expect(wire(try CommandEncoder().encodeAppendStart(tag: "A5", mailbox: .inbox)) == "A5 APPEND INBOX")
        #expect(wire(try CommandEncoder().encodeAppendStart(tag: "A5", mailbox: Self.mailbox("Sent Items")))
            == "A5 APPEND \"Sent Items\"")
        #expect(wire(CommandEncoder(options: Self.plus).encodeAppendMessage(header))
            == " (\\Seen $Work) \"17-Jul-1996 02:44:25 -0700\" {310+}\r\n")
        #expect(wire(CommandEncoder().encodeAppendMessage(header)) == " (\\Seen $Work) \"17-Jul-1996 02:44:25 -0700\" {310}\r\n⏸")
        let bare = AppendMessageHeader(flags: [], internalDate: nil, byteCount: 5)
        #expect(wire(CommandEncoder().encodeAppendMessage(bare)) == " {5}\r\n⏸")
        let limit = AppendMessageHeader(flags: [.draft], internalDate: nil, byteCount: 4_096)
        #expect(wire(CommandEncoder(options: Self.minus).encodeAppendMessage(limit)) == " (\\Draft) {4096+}\r\n")
        let over = AppendMessageHeader(flags: [], internalDate: nil, byteCount: 4_097)
        #expect(wire(CommandEncoder(options: Self.minus).encodeAppendMessage(over)) == " {4097}\r\n⏸")
        #expect(String(buffer: CommandEncoder().encodeAppendEnd()) == "\r\n")
        #expect(throws: IMAPProtocolError.self) { try CommandEncoder().encodeAppendStart(tag: "A 5", mailbox: .inbox) }
    }

    @Test("encodes a SASL continuation response as one line")
    func continuationResponse() {
        #expect(String(buffer: CommandEncoder().encodeContinuationResponse("AGFsaWNl")) == "AGFsaWNl\r\n")
        #expect(String(buffer: CommandEncoder().encodeContinuationResponse("")) == "\r\n")
        #expect(String(buffer: CommandEncoder().encodeContinuationResponse("ab\r\ncd")) == "abcd\r\n")
    }
}
