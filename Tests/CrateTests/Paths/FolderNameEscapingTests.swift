import Foundation
import Testing
@testable import Crate

@Suite("Folder name escaping and key allocation")
struct FolderNameEscapingTests {
    @Test("components are escaped as documented", arguments: [
        (["INBOX"], "INBOX"),
        (["Archive", "2023"], "Archive.2023"),
        (["a.b"], "a%2Eb"),
        ([".hidden"], "%2Ehidden"),
        (["."], "%2E"),
        ([".."], "%2E%2E"),
        (["../../x"], "%2E%2E%2F%2E%2E%2Fx"),
        (["a/../../b"], "a%2F%2E%2E%2F%2E%2E%2Fb"),
        (["/"], "%2F"),
        (["100%"], "100%25"),
        (["tab\there"], "tab%09here"),
        (["nul\u{0}"], "nul%00"),
        (["C1\u{85}"], "C1%C2%85"),
        (["Entwürfe"], "Entwürfe"),
        (["日本語"], "日本語"),
        (["a:b*c?d\"e<f>g|h\\i~j"], "a%3Ab%2Ac%3Fd%22e%3Cf%3Eg%7Ch%5Ci%7Ej"),
        (["trailing "], "trailing%20"),
        (["in side"], "in side"),
        ([""], "%-"),
        (["a", "", "b"], "a.%-.b"),
    ] as [([String], String)])
    func escapes(components: [String], expected: String) {
        #expect(FolderNameEscaping.key(for: components) == expected)
    }

    static let hostileNames: [[String]] = [
        ["../../x"], ["a/../../b"], ["/"], ["."], [".."], ["..", ".."], ["", ""], [""], ["a", "..", "..", "b"],
        ["\u{0}"], ["\n"], ["\u{7F}"], ["cur"], ["new"], ["tmp"], ["maildirfolder"], ["INBOX", ".."],
        [String(repeating: "x", count: 300)], [String(repeating: "é", count: 300)],
        [String(repeating: "%", count: 300)], [String(repeating: ".", count: 300)],
        Array(repeating: "deep", count: 100), ["Foo"], ["foo"], ["FOO"], ["Stra\u{DF}e"], ["STRASSE"],
        ["caf\u{E9}"], ["cafe\u{301}"], ["~"], ["%7E"], ["a~2c26b46b"],
    ]

    @Test("hostile names never leave the crate, stay under 255 bytes and never share a path", arguments: [MailFormat.maildir, .mbox])
    func hostileNamesStayInside(format: MailFormat) throws {
        var allocator = FolderKeyAllocator(existing: [String]())
        var seen = Set<String>()
        let root = "/crate"
        for components in Self.hostileNames {
            let key = allocator.allocate(pathComponents: components, isInbox: false)
            #expect(key.utf8.count <= FolderNameEscaping.maximumKeyBytes)
            #expect(!key.contains("/"))
            #expect(!key.utf8.contains(0))
            #expect(key != "." && key != ".." && !key.hasPrefix("."))
            for relative in [
                CrateLayout.location(key: key, format: format, compression: .gzip, isInbox: false),
                CrateLayout.indexFile(key: key),
            ] {
                let components = try RelativePath.validate(relative, in: "test", what: "path")
                #expect(components.allSatisfy { $0.utf8.count <= 255 })
                let resolved = URL(fileURLWithPath: root + "/" + relative).standardizedFileURL.path
                #expect(resolved.hasPrefix(root + "/"), "\(components) → \(resolved)")
            }
            // Unique even on a case-insensitive, normalising filesystem.
            #expect(seen.insert(FolderKeyAllocator.collisionForm(key)).inserted, "\(components) → \(key)")
        }
    }

    @Test("names that differ only in case or normalisation get distinct keys; the first keeps the plain key")
    func caseCollisions() {
        var allocator = FolderKeyAllocator(existing: [String]())
        let first = allocator.allocate(pathComponents: ["Foo"], isInbox: false)
        let second = allocator.allocate(pathComponents: ["foo"], isInbox: false)
        let third = allocator.allocate(pathComponents: ["FOO"], isInbox: false)
        #expect(first == "Foo")
        #expect(second.hasPrefix("foo~") && second.utf8.count == 12)
        #expect(third.hasPrefix("FOO~"))
        let nfc = allocator.allocate(pathComponents: ["caf\u{E9}"], isInbox: false)
        let nfd = allocator.allocate(pathComponents: ["cafe\u{301}"], isInbox: false)
        #expect(nfc != nfd)
        #expect(FolderKeyAllocator.collisionForm(nfc) != FolderKeyAllocator.collisionForm(nfd))
    }

    @Test("existing keys (from a manifest) are respected on reopen")
    func existingKeys() {
        var allocator = FolderKeyAllocator(existing: ["Sent"])
        #expect(allocator.allocate(pathComponents: ["sent"], isInbox: false) != "sent")
    }

    @Test("a 300-character name is cut with a hash suffix, and two such names differ")
    func longNames() {
        var allocator = FolderKeyAllocator(existing: [String]())
        let a = allocator.allocate(pathComponents: [String(repeating: "a", count: 299) + "1"], isInbox: false)
        let b = allocator.allocate(pathComponents: [String(repeating: "a", count: 299) + "2"], isInbox: false)
        #expect(a.utf8.count <= 200 && b.utf8.count <= 200)
        #expect(a != b)
        #expect(a.contains("~"))
        let escaped = allocator.allocate(pathComponents: [String(repeating: ".", count: 300)], isInbox: false)
        // Cut at an escape boundary: what is left before the suffix is whole `%2E` triples.
        let body = escaped.split(separator: "~")[0]
        #expect(body.count % 3 == 0)
    }

    @Test("INBOX in any case maps to the key INBOX")
    func inbox() {
        var allocator = FolderKeyAllocator(existing: [String]())
        #expect(allocator.allocate(pathComponents: ["inbox"], isInbox: true) == "INBOX")
        #expect(CrateLayout.location(key: "INBOX", format: .maildir, compression: .gzip, isInbox: true) == "maildir")
        #expect(CrateLayout.location(key: "INBOX", format: .mbox, compression: .gzip, isInbox: true) == "mbox/INBOX.mbox.gz")
        #expect(CrateLayout.location(key: "INBOX", format: .mbox, compression: .none, isInbox: true) == "mbox/INBOX.mbox")
    }
}
