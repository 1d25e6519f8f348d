import Foundation
import Testing
@testable import Crate

@Suite("Recovery when a crate is reopened")
struct FolderRecoveryTests {
    /// Stores UIDs 1 and 2 committed, then UID 3 finished but never committed, and "crashes"
    /// (the writer is dropped without finish).
    static func interruptedExport(_ fixture: CrateFixture, format: MailFormat) throws {
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
        try CrateFixture.store(SampleMessages.fromLines, uid: 2, in: inbox)
        try inbox.commit()
        try CrateFixture.store(SampleMessages.longLine, uid: 3, in: inbox)
    }

    @Test("Maildir: unindexed files and tmp/ leftovers are removed, indexed messages kept")
    func maildir() throws {
        let fixture = try CrateFixture()
        try Self.interruptedExport(fixture, format: .maildir)
        let leftover = fixture.path + "/maildir/tmp/1700000000.U0000000009V1000.host"
        try Data("partial".utf8).write(to: URL(fileURLWithPath: leftover))
        let before = try CrateVerifier(url: fixture.url).verify()
        #expect(before.isValid, "a partial crate is valid: \(before.errors)")
        #expect(before.problems.contains { $0.kind == .extraFile && $0.severity == .warning })
        #expect(before.problems.contains { $0.kind == .leftoverTemporaryFile })

        let writer = try fixture.openWriter(format: .maildir)
        #expect(writer.recovery.removedUnindexedFiles == 1)
        #expect(writer.recovery.removedTemporaryFiles == 1)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        #expect(inbox.knownUIDs == [1, 2])
        try CrateFixture.store(SampleMessages.longLine, uid: 3, in: inbox)
        try writer.finish(state: .complete)
        #expect(try fixture.readAll(folder: "INBOX").count == 3)
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }

    @Test("mbox: bytes after the last indexed member are cut, and appending goes on cleanly", arguments: [
        CompressionSettings.default, .none,
    ])
    func tornMbox(compression: CompressionSettings) throws {
        let fixture = try CrateFixture()
        do {
            let writer = try fixture.openWriter(format: .mbox, compression: compression)
            let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
            try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
            try CrateFixture.store(SampleMessages.fromLines, uid: 2, in: inbox)
            try inbox.commit()
            try CrateFixture.store(SampleMessages.longLine, uid: 3, in: inbox)
        }
        let path = fixture.path + "/mbox/INBOX.mbox" + (compression.kind == .gzip ? ".gz" : "")
        // Half a member from a write cut by the crash.
        let half = try GzipWriter.compress(SampleMessages.large)
        try FileDamage.append(Array(half.prefix(half.count / 2)), to: path)
        let writer = try fixture.openWriter(format: .mbox, compression: compression)
        #expect(writer.recovery.truncatedMboxBytes > half.count / 2)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        #expect(inbox.knownUIDs == [1, 2])
        try CrateFixture.store(SampleMessages.noFinalNewline, uid: 3, in: inbox)
        try writer.finish(state: .complete)
        #expect(try fixture.readAll(folder: "INBOX") == [
            1: SampleMessages.plainCRLF, 2: SampleMessages.fromLines, 3: SampleMessages.noFinalNewline,
        ])
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
        if compression.kind == .gzip {
            #expect(try ExternalTool.run(["gzip", "-t", path]).status == 0)
        }
    }

    @Test("a torn index line is cut and the folder continues", arguments: [MailFormat.maildir, .mbox])
    func tornIndex(format: MailFormat) throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: format)
        try FileDamage.append(#"{"uid":4,"uidValidity":1000,"si"#, to: fixture.path + "/index/INBOX.jsonl")
        let torn = try CrateVerifier(url: fixture.url).verify()
        #expect(torn.isValid)
        #expect(torn.problems.map(\.kind) == [.tornIndex])
        let writer = try fixture.openWriter(format: format)
        #expect(writer.recovery.tornIndexFolders == ["INBOX"])
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.eightBit, uid: 4, in: inbox)
        try writer.finish(state: .complete)
        #expect(try fixture.readAll(folder: "INBOX")[4] == SampleMessages.eightBit)
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }

    @Test("a corrupt line in the middle of an index stops the writer with .corrupt")
    func corruptIndex() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        let path = fixture.path + "/index/INBOX.jsonl"
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        lines[1] = "garbage"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: false, encoding: .utf8)
        let error = #expect(throws: CrateError.self) { try fixture.openWriter() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test("a crash right after folders were registered leaves a crate the next run completes")
    func crashAfterRegistration() throws {
        let fixture = try CrateFixture()
        do {
            let writer = try fixture.openWriter()
            _ = try writer.folder(SampleMessages.descriptor("Drafts"))
        }
        try FileManager.default.removeItem(atPath: fixture.path + "/maildir/.Drafts")
        let writer = try fixture.openWriter()
        _ = try writer.folder(SampleMessages.descriptor("Drafts"))
        try writer.finish(state: .complete)
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }
}
