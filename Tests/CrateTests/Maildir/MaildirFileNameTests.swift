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
