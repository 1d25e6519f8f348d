import Foundation
import Testing
@testable import Crate

@Suite("CrateVerifier")
struct CrateVerifierTests {
    static func kinds(_ fixture: CrateFixture) throws -> [VerificationProblem.Kind] {
        try CrateVerifier(url: fixture.url).verify().errors.map(\.kind)
    }

    @Test("a clean crate has no problem and every message is checked", arguments: [MailFormat.maildir, .mbox])
    func clean(format: MailFormat) throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: format)
        let report = try CrateVerifier(url: fixture.url).verify()
        #expect(report.problems.isEmpty, "\(report.problems)")
        #expect(report.isValid)
        #expect(report.messagesChecked == 4)
        #expect(report.foldersChecked == 3)
        #expect(report.bytesChecked == SampleMessages.plainCRLF.count + SampleMessages.fromLines.count
            + SampleMessages.longLine.count + SampleMessages.bareLF.count)
    }

    @Test("a flipped byte is corrupt data naming the folder and UID", arguments: [
        (MailFormat.maildir, CompressionSettings.default), (.maildir, .none), (.mbox, .default), (.mbox, .none),
    ])
    func flippedByte(format: MailFormat, compression: CompressionSettings) throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: format, compression: compression)
        let path = try fixture.dataPath(folder: "Sent")
        try FileDamage.flipByte(path, at: format == .mbox && compression.kind == .none ? 60 : nil)
        let report = try CrateVerifier(url: fixture.url).verify()
        #expect(report.errors.map(\.kind) == [.corruptData])
        #expect(report.errors.first?.folder == "Sent")
        #expect(report.errors.first?.uid == 1)
        // Reading the message says the same.
        let reader = try fixture.reader()
        let sent = try #require(reader.folder(named: "Sent"))
        let error = #expect(throws: CrateError.self) { try reader.openMessage(try reader.records(in: sent)[0], in: sent).readAll() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("UID 1 of folder \"Sent\"") == true)
    }

    @Test("a truncated gzip file is corrupt data")
    func truncatedGzip() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        try FileDamage.truncate(try fixture.dataPath(folder: "INBOX", uid: 2), by: 10)
        #expect(try Self.kinds(fixture) == [.corruptData])
    }

    @Test("a missing message file is reported")
    func missingFile() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        try FileManager.default.removeItem(atPath: try fixture.dataPath(folder: "INBOX", uid: 3))
        let report = try CrateVerifier(url: fixture.url).verify()
        #expect(report.errors.map(\.kind) == [.missingFile])
        #expect(report.errors.first?.uid == 3)
    }

    @Test("a file no index lists is an extra file")
    func extraFile() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        try Data("stray".utf8).write(to: URL(fileURLWithPath: fixture.path + "/maildir/.Sent/cur/stray:2,S"))
        try Data("copy".utf8).write(to: URL(fileURLWithPath: fixture.path + "/maildir/cur/1700000000.U0000000099V1000.h,S=4:2,"))
        #expect(try Self.kinds(fixture) == [.extraFile, .extraFile])
    }

    @Test("manifest counts that disagree with the index are reported")
    func manifestMismatch() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .mbox)
        var manifest = try Manifest.read(crateRoot: fixture.path)
        manifest.folders[0].messageCount = 7
        manifest.updateTotals()
        try manifest.write(crateRoot: fixture.path)
        #expect(try Self.kinds(fixture) == [.manifestMismatch])
        manifest.totals.bytes += 1
        try manifest.write(crateRoot: fixture.path)
        #expect(try Self.kinds(fixture) == [.manifestMismatch, .manifestMismatch])
    }

    @Test("a duplicated index line is a duplicate UID (and a count mismatch)")
    func duplicateUID() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        let path = fixture.path + "/index/Sent.jsonl"
        let line = try String(contentsOfFile: path, encoding: .utf8)
        try FileDamage.append(line, to: path)
        #expect(Set(try Self.kinds(fixture)) == [.duplicateUID, .manifestMismatch])
    }

    @Test("bytes after the last mbox member, and unknown folders, are reported")
    func layout() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .mbox)
        try FileDamage.append("From junk\n", to: fixture.path + "/mbox/INBOX.mbox.gz")
        try Data().write(to: URL(fileURLWithPath: fixture.path + "/mbox/Unknown.mbox.gz"))
        try Data().write(to: URL(fileURLWithPath: fixture.path + "/index/Unknown.jsonl"))
        #expect(try Self.kinds(fixture) == [.mboxLayout, .extraFolder, .extraFolder])
        let maildir = try CrateFixture()
        try maildir.makeSample(format: .maildir)
        try FileManager.default.createDirectory(atPath: maildir.path + "/maildir/.Ghost/cur", withIntermediateDirectories: true)
        #expect(try Self.kinds(maildir) == [.extraFolder])
    }

    @Test("a record pointing outside its folder is an unsafe path")
    func unsafeRecord() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        let path = fixture.path + "/index/Sent.jsonl"
        let text = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: #""file":"cur/"#, with: #""file":"../../../etc/"#)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        let kinds = try Self.kinds(fixture)
        #expect(kinds.contains(.unsafePath))
        let reader = try fixture.reader()
        let sent = try #require(reader.folder(named: "Sent"))
        let error = #expect(throws: CrateError.self) { try reader.openMessage(try reader.records(in: sent)[0], in: sent) }
        #expect(error?.code == .unsafePath)
    }

    @Test("verification refuses to run while a writer holds the crate")
    func lockedWhileWriting() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        let error = #expect(throws: CrateError.self) { try CrateVerifier(url: fixture.url).verify() }
        #expect(error?.code == .locked)
        try writer.finish(state: .complete)
        #expect(try CrateVerifier(url: fixture.url).verify().isValid)
    }
}
