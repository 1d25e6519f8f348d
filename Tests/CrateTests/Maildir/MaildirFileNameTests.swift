import Testing
@testable import Crate

@Suite("Maildir file names")
struct MaildirFileNameTests {
    @Test("flags become sorted Maildir letters; keywords other than $Forwarded are left out", arguments: [
        ([], ""),
        (["\\Seen"], "S"),
        (["\\Seen", "\\Answered", "\\Flagged", "\\Draft", "\\Deleted", "$Forwarded"], "DFPRST"),
        (["\\SEEN", "\\answered"], "RS"),
        (["$forwarded", "Work", "$Junk", "\\Recent"], "P"),
    ] as [([String], String)])
    func letters(flags: [String], expected: String) {
        #expect(MaildirFileName.flagLetters(flags) == expected)
    }

    @Test("names carry time, padded UID, UIDVALIDITY, host, sizes and flags")
    func names() {
        let base = MaildirFileName.baseName(unixSeconds: 837_596_665, uid: 42, uidValidity: 7, host: "box")
        #expect(base == "837596665.U0000000042V7.box")
        #expect(MaildirFileName.finalName(base: base, size: 10, virtualSize: 12, flags: ["\\Seen"])
            == "837596665.U0000000042V7.box,S=10,W=12:2,S")
        #expect(MaildirFileName.baseName(unixSeconds: -5, uid: 4_294_967_295, uidValidity: 1, host: "h")
            == "0.U4294967295V1.h")
    }

    @Test("only names this module writes are recognised as its own", arguments: [
        ("837596665.U0000000042V7.box,S=10,W=12:2,S", true),
        ("837596665.U0000000042V7.box", true),
        ("1.M2P3.host,S=4:2,S", false),
        ("dovecot-uidlist", false),
        ("837596665.U42V7.box", false),
        ("x.U0000000042V7.box", false),
    ])
    func ours(name: String, expected: Bool) {
        #expect(MaildirFileName.isOurs(name) == expected)
    }

    @Test("the host name is safe in a file name")
    func hostName() {
        let host = CrateFileSystem.maildirHostName
        #expect(!host.isEmpty && host.utf8.count <= 64)
        #expect(!host.contains("/") && !host.contains(":"))
    }
}

@Suite("Dovecot keywords file")
struct DovecotKeywordsTests {
    @Test("keywords get letters a, b, … kept across reopen; at most 26")
    func letters() throws {
        let directory = try TemporaryDirectory()
        var keywords = try DovecotKeywords(folderPath: directory.path)
        #expect(keywords.letters(for: ["\\Seen", "Work", "$Forwarded"]) == "ab")
        #expect(keywords.letters(for: ["$forwarded"]) == "b")
        try keywords.save(folderPath: directory.path)
        let text = try String(contentsOfFile: directory.path + "/dovecot-keywords", encoding: .utf8)
        #expect(text == "0 Work\n1 $Forwarded\n")
        var reopened = try DovecotKeywords(folderPath: directory.path)
        #expect(reopened.letters(for: ["Home", "Work"]) == "ac")
        for number in 0..<40 { _ = reopened.letters(for: ["k\(number)"]) }
        #expect(reopened.names.count == 26)
    }

    @Test("Maildir file names carry keyword letters and the folder gets dovecot-keywords")
    func inCrate() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        let record = try CrateFixture.store(SampleMessages.bareLF, uid: 1, in: inbox, flags: ["\\Seen", "$Junk"])
        try writer.finish(state: .complete)
        guard case .file(let file) = record.location else {
            Issue.record("expected a file")
            return
        }
        #expect(file.hasSuffix(":2,Sa"))
        #expect(try String(contentsOfFile: fixture.path + "/maildir/dovecot-keywords", encoding: .utf8) == "0 $Junk\n")
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }
}
