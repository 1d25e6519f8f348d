import Foundation
import Testing
@testable import Crate

@Suite("IndexWriter and IndexReader")
struct IndexTests {
    static func record(_ uid: UInt32, uidValidity: UInt32 = 5, flags: [String] = ["\\Seen"]) -> MessageRecord {
        MessageRecord(
            uid: uid, uidValidity: uidValidity, size: Int(uid) * 10,
            sha256: String(repeating: "ab", count: 32), internalDate: "01-Jan-2024 10:00:00 +0100",
            internalDateUnix: 1_704_099_600, flags: flags, messageID: "<m\(uid)@example.com>",
            location: uid % 2 == 0 ? .file("cur/\(uid).U1V1.h,S=1:2,S") : .mbox(offset: Int(uid) * 100, length: 99))
    }

    static func write(_ records: [MessageRecord], to path: String) throws {
        let writer = try IndexWriter(path: path)
        for record in records { writer.append(record) }
        #expect(writer.pendingCount == records.count)
        try writer.sync()
        try writer.close()
    }

    static func appendRaw(_ text: String, to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data(text.utf8))
        try handle.close()
    }

    @Test("records round trip through JSON lines, tricky strings included")
    func roundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        var tricky = Self.record(2, flags: ["\\Seen", "$Forwarded", "quote\"back\\slash", "ctl\u{1}\n", "ünï"])
        tricky.messageID = nil
        let records = [Self.record(1), tricky, Self.record(3)]
        try Self.write(records, to: path)
        let reader = try IndexReader(path: path)
        #expect(try reader.readAll() == records)
        #expect(!reader.tornTail)
        #expect(reader.duplicates.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(#"{"uid":1,"uidValidity":5,"size":10,"sha256":""#))
        #expect(text.split(separator: "\n").count == 3)
        #expect(try CrateFileSystem.permissions(path) == 0o600)
    }

    @Test("nothing reaches the file before sync")
    func syncBatches() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        let writer = try IndexWriter(path: path)
        writer.append(Self.record(1))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        try writer.sync()
        #expect(try IndexReader(path: path).readAll().count == 1)
        #expect(writer.durableLength == (try Data(contentsOf: URL(fileURLWithPath: path))).count)
    }

    @Test("a torn last line is ignored: no newline, or invalid JSON at the end", arguments: [
        #"{"uid":9,"uidValid"#, #"{"uid":9,"uidValidity":5,"size":90,"sha256":"x"}"# + "\n", "\u{0}\u{0}\u{0}\u{0}",
        #"{"uid":3,"uidValidity":5,"size":30,"sha256":"abababababababababababababababababababababababababababababababab","internalDate":"x","internalDateUnix":0,"flags":[],"file":"cur/x"}"#,
    ])
    func tornTail(tail: String) throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        try Self.write([Self.record(1), Self.record(2)], to: path)
        let validLength = try Data(contentsOf: URL(fileURLWithPath: path)).count
        try Self.appendRaw(tail, to: path)
        let reader = try IndexReader(path: path)
        #expect(try reader.readAll().map(\.uid) == [1, 2])
        #expect(reader.tornTail)
        #expect(reader.validLength == validLength)
        // A writer reopened with the valid length cuts the tail and appends cleanly.
        let writer = try IndexWriter(path: path, validLength: reader.validLength)
        writer.append(Self.record(4))
        try writer.sync()
        #expect(try IndexReader(path: path).readAll().map(\.uid) == [1, 2, 4])
    }

    @Test("a corrupt line in the middle is reported with its number, and reading goes on")
    func corruptMiddle() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        try Self.write([Self.record(1)], to: path)
        try Self.appendRaw("this is not json\n", to: path)
        try Self.write([Self.record(3)], to: path)
        let reader = try IndexReader(path: path)
        var entries: [IndexReader.Entry] = []
        while let entry = try reader.next() { entries.append(entry) }
        #expect(entries.count == 3)
        guard case .corrupt(let line, _) = entries[1] else {
            Issue.record("expected a corrupt entry, got \(entries[1])")
            return
        }
        #expect(line == 2)
        #expect(!reader.tornTail)
        let error = #expect(throws: CrateError.self) { try IndexReader(path: path).readAll() }
        #expect(error?.code == .corrupt)
        #expect(error?.message.contains("line 2") == true)
    }

    @Test("duplicate UIDs under one UIDVALIDITY are reported; the same UID under another is fine")
    func duplicates() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        try Self.write([Self.record(1), Self.record(2), Self.record(1), Self.record(1, uidValidity: 6)], to: path)
        let reader = try IndexReader(path: path)
        #expect(try reader.readAll().count == 4)
        #expect(reader.duplicates == [IndexReader.Duplicate(uidValidity: 5, uid: 1, line: 3)])
    }

    @Test("many records read back in order across buffer refills")
    func manyRecords() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        let records = (1...5_000).map { Self.record(UInt32($0)) }
        try Self.write(records, to: path)
        #expect(try IndexReader(path: path).readAll() == records)
    }
}
