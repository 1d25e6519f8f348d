import Foundation
import Testing
@testable import Crate

@Suite("Relative path validation")
struct RelativePathTests {
    @Test("safe relative paths are accepted", arguments: [
        "maildir", "maildir/.Sent", "mbox/INBOX.mbox.gz", "index/a%2Eb.jsonl", "cur/1.U1V1.h,S=1:2,S",
    ])
    func accepted(path: String) throws {
        #expect(try RelativePath.validate(path, in: "manifest.json", what: "location").joined(separator: "/") == path)
    }

    @Test("paths that could leave the crate are refused", arguments: [
        "", "/etc/passwd", "..", "../x", "a/../../b", "a/..", "./a", "a//b", "a/", "a\\..\\b", "a\u{0}b", ".",
    ])
    func refused(path: String) {
        let error = #expect(throws: CrateError.self) { try RelativePath.validate(path, in: "manifest.json", what: "location") }
        #expect(error?.code == .unsafePath)
    }

    @Test("a symlink on the way is refused")
    func symlink() throws {
        let directory = try TemporaryDirectory()
        try FileManager.default.createDirectory(atPath: directory.path + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/link", withDestinationPath: "/tmp")
        try RelativePath.checkNoSymlinks(["real", "missing"], root: directory.path, in: "m")
        let error = #expect(throws: CrateError.self) {
            try RelativePath.checkNoSymlinks(["link", "x"], root: directory.path, in: "m")
        }
        #expect(error?.code == .unsafePath)
    }
}
