import Foundation
import Testing
@testable import Crate

@Suite("Manifest")
struct ManifestTests {
    static func sample() -> Manifest {
        var manifest = Manifest(
            toolVersion: "1.2.3", created: Date(timeIntervalSince1970: 1_700_000_000), source: SampleMessages.source,
            mailFormat: .maildir, compression: .gzip)
        manifest.folders = [
            Manifest.Folder(
                name: "Sent", pathComponents: ["Sent"], separator: "/", specialUse: "\\Sent", subscribed: true,
                selectable: true, uidValidity: 7, uidNext: 9, highestModSeq: 123, messageCount: 2, bytes: 300,
                format: .maildir, compression: .gzip, location: "maildir/.Sent", indexFile: "index/Sent.jsonl"),
            Manifest.Folder(
                name: "Parent", pathComponents: ["Parent"], separator: "/", specialUse: nil, subscribed: false,
                selectable: false, uidValidity: nil, uidNext: nil, highestModSeq: nil, messageCount: 0, bytes: 0,
                format: .maildir, compression: .gzip, location: "maildir/.Parent", indexFile: "index/Parent.jsonl"),
        ]
        manifest.updateTotals()
        return manifest
    }

    @Test("written atomically, read back equal, with mode 0600 and no temporary file left")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let manifest = Self.sample()
        try manifest.write(crateRoot: directory.path)
        #expect(try Manifest.read(crateRoot: directory.path) == manifest)
        #expect(try CrateFileSystem.permissions(directory.path + "/manifest.json") == 0o600)
        #expect(!FileManager.default.fileExists(atPath: directory.path + "/manifest.json.tmp"))
        let text = try String(contentsOfFile: directory.path + "/manifest.json", encoding: .utf8)
        #expect(text.contains("\"formatVersion\" : 1"))
        #expect(text.contains("\"created\" : \"2023-11-14T22:13:20Z\""))
        #expect(manifest.totals == Manifest.Totals(folders: 2, messages: 2, bytes: 300))
    }

    @Test("a missing manifest is not a crate")
    func missing() throws {
        let directory = try TemporaryDirectory()
        let error = #expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) }
        #expect(error?.code == .notACrate)
    }

    static func writeJSON(_ json: String, in directory: TemporaryDirectory) throws {
        try json.write(toFile: directory.path + "/manifest.json", atomically: false, encoding: .utf8)
    }

    @Test("another format name, another version and broken JSON are refused with their own codes")
    func refusals() throws {
        let directory = try TemporaryDirectory()
        try Self.writeJSON(#"{"format":"other","formatVersion":1}"#, in: directory)
        #expect((#expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) })?.code == .notACrate)
        try Self.writeJSON(#"{"format":"imapcrate","formatVersion":2,"anything":"new"}"#, in: directory)
        let newer = #expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) }
        #expect(newer?.code == .unsupportedVersion)
        #expect(newer?.message.contains("newer") == true)
        try Self.writeJSON(#"{"format":"imapcrate","formatVersion":1"#, in: directory)
        #expect((#expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) })?.code == .corrupt)
    }

    @Test("a location or index path that escapes the crate is refused", arguments: [
        "../outside", "/etc", "maildir/../../x", "maildir/./x", "",
    ])
    func unsafeLocations(location: String) throws {
        let directory = try TemporaryDirectory()
        for field in [\Manifest.Folder.location, \Manifest.Folder.indexFile] {
            var manifest = Self.sample()
            manifest.folders[0][keyPath: field] = location
            try manifest.write(crateRoot: directory.path)
            let error = #expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) }
            #expect(error?.code == .unsafePath)
        }
    }

    @Test("a location through a symlink is refused")
    func symlinkLocation() throws {
        let directory = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/maildir", withDestinationPath: outside.path)
        try Self.sample().write(crateRoot: directory.path)
        let error = #expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) }
        #expect(error?.code == .unsafePath)
    }

    @Test("two folders with the same name or path are corrupt")
    func duplicates() throws {
        let directory = try TemporaryDirectory()
        var manifest = Self.sample()
        manifest.folders[1].location = manifest.folders[0].location
        try manifest.write(crateRoot: directory.path)
        #expect((#expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) })?.code == .corrupt)
        manifest = Self.sample()
        manifest.folders[1].name = "Sent"
        try manifest.write(crateRoot: directory.path)
        #expect((#expect(throws: CrateError.self) { try Manifest.read(crateRoot: directory.path) })?.code == .corrupt)
    }
}
