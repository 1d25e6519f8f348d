import Foundation
import Testing
@testable import Crate

@Suite("CrateWriter")
struct CrateWriterTests {
    @Test("a reopened crate knows its UIDs and hashes, and adds only new messages", arguments: [MailFormat.maildir, .mbox])
    func incremental(format: MailFormat) throws {
        let fixture = try CrateFixture()
        var first: MessageRecord
        do {
            let writer = try fixture.openWriter(format: format)
            let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
            first = try CrateFixture.store(SampleMessages.plainCRLF, uid: 3, in: inbox)
            try CrateFixture.store(SampleMessages.bareLF, uid: 8, in: inbox)
            #expect(inbox.knownUIDs == [3, 8])
            #expect(inbox.pendingCount == 2)
            try writer.finish(state: .complete)
        }
        let writer = try fixture.openWriter(format: format)
        #expect(writer.recovery.isClean)
        #expect(writer.currentManifest.state == .partial)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        #expect(inbox.knownUIDs == [3, 8])
        #expect(inbox.lastUID == 8)
        #expect(inbox.knownHashes.contains(first.sha256))
        #expect(inbox.messageCount == 2)
        try CrateFixture.store(SampleMessages.eightBit, uid: 9, in: inbox)
        try writer.finish(state: .complete)
        let messages = try fixture.readAll(folder: "INBOX")
        #expect(messages == [3: SampleMessages.plainCRLF, 8: SampleMessages.bareLF, 9: SampleMessages.eightBit])
        let manifest = try fixture.reader().manifest
        #expect(manifest.state == .complete)
        #expect(manifest.totals.messages == 3)
        #expect(manifest.folders[0].bytes == SampleMessages.plainCRLF.count + SampleMessages.bareLF.count + SampleMessages.eightBit.count)
    }

    @Test("after a UIDVALIDITY change, known content is shared instead of stored twice", arguments: [MailFormat.maildir, .mbox])
    func uidValidityChange(format: MailFormat) throws {
        let fixture = try CrateFixture()
        do {
            let writer = try fixture.openWriter(format: format)
            let inbox = try writer.folder(SampleMessages.descriptor("INBOX", uidValidity: 1))
            try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
            try CrateFixture.store(SampleMessages.bareLF, uid: 2, in: inbox)
            try writer.finish(state: .complete)
        }
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX", uidValidity: 2))
        #expect(inbox.knownUIDs.isEmpty)
        #expect(inbox.lastUID == 0)
        let again = try CrateFixture.store(SampleMessages.bareLF, uid: 10, in: inbox)
        let fresh = try CrateFixture.store(SampleMessages.longLine, uid: 11, in: inbox)
        try writer.finish(state: .complete)

        let reader = try fixture.reader()
        let folder = try #require(reader.folder(named: "INBOX"))
        let all = try reader.records(in: folder)
        #expect(all.count == 4)
        let old = try #require(all.first { $0.uid == 2 && $0.uidValidity == 1 })
        #expect(again.location == old.location)
        #expect(fresh.location != old.location)
        let current = try reader.records(in: folder, selection: .current)
        #expect(current.map(\.uid) == [1, 10, 11])
        for record in all {
            #expect(try reader.openMessage(record, in: folder).readAll().count == record.size)
        }
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }

    @Test("a second writer is refused while the first holds the crate")
    func locked() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        let error = #expect(throws: CrateError.self) { try fixture.openWriter() }
        #expect(error?.code == .locked)
        try writer.finish(state: .complete)
        withExtendedLifetime(writer) {}
    }

    @Test("a non-empty directory that is not a crate is refused; an empty one is used")
    func notACrate() throws {
        let directory = try TemporaryDirectory()
        try Data("x".utf8).write(to: directory.child("file.txt"))
        let error = #expect(throws: CrateError.self) {
            try CrateWriter.open(at: directory.url, source: SampleMessages.source, toolVersion: "t")
        }
        #expect(error?.code == .notACrate)
        let empty = directory.child("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
        try CrateWriter.open(at: empty, source: SampleMessages.source, toolVersion: "t").finish(state: .complete)
        #expect(FileManager.default.fileExists(atPath: empty.path + "/manifest.json"))
    }

    @Test("reopening without a format keeps the crate's format")
    func keepsFormat() throws {
        let fixture = try CrateFixture()
        try fixture.openWriter(format: .mbox).finish(state: .complete)
        let writer = try CrateWriter.open(at: fixture.url, source: SampleMessages.source, toolVersion: "t")
        #expect(writer.format == .mbox)
        try CrateFixture.store(SampleMessages.bareLF, uid: 1, in: try writer.folder(SampleMessages.descriptor("INBOX")))
        try writer.finish(state: .complete)
        #expect(FileManager.default.fileExists(atPath: fixture.path + "/mbox/INBOX.mbox.gz"))
    }

    @Test("reopening with another format or account is refused")
    func incompatible() throws {
        let fixture = try CrateFixture()
        try fixture.openWriter(format: .maildir).finish(state: .complete)
        #expect((#expect(throws: CrateError.self) { try fixture.openWriter(format: .mbox) })?.code == .incompatible)
        let other = SourceInfo(host: "imap.example.com", user: "bob")
        #expect((#expect(throws: CrateError.self) { try fixture.openWriter(source: other) })?.code == .incompatible)
    }

    @Test("misuse is refused: two open messages, a stored UID, a non-selectable folder")
    func misuse() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        let sink = try inbox.beginMessage(uid: 1, flags: [], internalDate: "x", internalDateUnix: 0)
        #expect(throws: CrateError.self) { try inbox.beginMessage(uid: 2, flags: [], internalDate: "x", internalDateUnix: 0) }
        try sink.write(SampleMessages.plainCRLF)
        _ = try sink.finish()
        #expect(throws: CrateError.self) { try sink.write(SampleMessages.plainCRLF) }
        #expect(throws: CrateError.self) { try inbox.beginMessage(uid: 1, flags: [], internalDate: "x", internalDateUnix: 0) }
        var parent = SampleMessages.descriptor("Parent")
        parent.selectable = false
        parent.uidValidity = nil
        let folder = try writer.folder(parent)
        #expect(throws: CrateError.self) { try folder.beginMessage(uid: 1, flags: [], internalDate: "x", internalDateUnix: 0) }
        try writer.finish(state: .complete)
        #expect(FileManager.default.fileExists(atPath: fixture.path + "/maildir/.Parent/cur"))
        #expect(try fixture.reader().folder(named: "Parent")?.selectable == false)
    }

    @Test("abort, a size mismatch or a dropped sink leave nothing behind", arguments: [MailFormat.maildir, .mbox])
    func abortLeavesNothing(format: MailFormat) throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
        let aborted = try inbox.beginMessage(uid: 2, flags: [], internalDate: "x", internalDateUnix: 0)
        try aborted.write(SampleMessages.large)
        aborted.abort()
        let short = try inbox.beginMessage(uid: 3, flags: [], internalDate: "x", internalDateUnix: 0, expectedSize: 1000)
        try short.write(SampleMessages.bareLF)
        let mismatch = #expect(throws: CrateError.self) { try short.finish() }
        #expect(mismatch?.code == .sizeMismatch)
        do {
            let dropped = try inbox.beginMessage(uid: 4, flags: [], internalDate: "x", internalDateUnix: 0)
            try dropped.write(SampleMessages.longLine)
        }
        try CrateFixture.store(SampleMessages.bareLF, uid: 5, in: inbox)
        try writer.finish(state: .complete)
        #expect(try fixture.readAll(folder: "INBOX") == [1: SampleMessages.plainCRLF, 5: SampleMessages.bareLF])
        let report = try CrateVerifier(url: fixture.url).verify()
        #expect(report.problems.isEmpty, "\(report.problems)")
    }

    @Test("folder metadata is kept and updated; empty folders exist on disk")
    func metadata() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        var sent = FolderDescriptor(
            name: "Sent Items", pathComponents: ["Sent Items"], separator: ".", specialUse: "\\Sent",
            subscribed: false, uidValidity: 42, uidNext: 100, highestModSeq: 9000)
        let first = try writer.folder(sent)
        sent.uidNext = 101
        #expect(try writer.folder(sent) === first)
        try writer.finish(state: .complete)
        let folder = try #require(try fixture.reader().folder(named: "Sent Items"))
        #expect(folder.specialUse == "\\Sent")
        #expect(folder.subscribed == false)
        #expect(folder.uidNext == 101)
        #expect(folder.highestModSeq == 9000)
        #expect(folder.location == "maildir/.Sent Items")
        for sub in ["cur", "new", "tmp", "maildirfolder"] {
            #expect(FileManager.default.fileExists(atPath: fixture.path + "/maildir/.Sent Items/" + sub))
        }
        #expect(FileManager.default.fileExists(atPath: fixture.path + "/index/Sent Items.jsonl"))
    }

    @Test("hostile folder names stay inside the crate and read back", arguments: [MailFormat.maildir, .mbox])
    func hostileFolders(format: MailFormat) throws {
        let fixture = try CrateFixture()
        let names = ["../../x", "a/../../b", "/", ".", "..", "ctl\u{1}\u{7F}", String(repeating: "n", count: 300), "Case", "case", "CASE"]
        let writer = try fixture.openWriter(format: format)
        for (index, name) in names.enumerated() {
            let descriptor = FolderDescriptor(name: name, pathComponents: [name], separator: nil, uidValidity: 1)
            try CrateFixture.store(SampleMessages.bareLF + Array("\(index)".utf8), uid: 1, in: try writer.folder(descriptor))
        }
        try writer.finish(state: .complete)
        let entries = try FileManager.default.subpathsOfDirectory(atPath: fixture.directory.path)
        #expect(entries.allSatisfy { $0.hasPrefix("crate") }, "\(entries)")
        let reader = try fixture.reader()
        #expect(reader.folders.count == names.count)
        for (index, name) in names.enumerated() {
            #expect(try fixture.readAll(folder: name)[1] == SampleMessages.bareLF + Array("\(index)".utf8))
        }
        #expect(Set(reader.folders.map(\.location)).count == names.count)
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }

    @Test("files are 0600 and directories 0700 whatever the umask")
    func permissions() throws {
        let fixture = try CrateFixture()
        let previous = umask(0)
        defer { umask(previous) }
        try fixture.makeSample(format: .maildir)
        let mbox = try CrateFixture()
        try mbox.makeSample(format: .mbox)
        for root in [fixture.path, mbox.path] {
            #expect(try CrateFileSystem.permissions(root) == 0o700)
            for relative in try FileManager.default.subpathsOfDirectory(atPath: root) {
                let path = root + "/" + relative
                let expected: UInt32 = try CrateFileSystem.entryType(path) == .directory ? 0o700 : 0o600
                #expect(try CrateFileSystem.permissions(path) == expected, "\(relative)")
            }
        }
    }
}
