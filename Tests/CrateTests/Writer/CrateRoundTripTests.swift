import Foundation
import Testing
@testable import Crate

@Suite("Crate round trip")
struct CrateRoundTripTests {
    static let settings: [(MailFormat, CompressionSettings)] = [
        (.maildir, .default), (.maildir, .none), (.mbox, .default), (.mbox, .none), (.maildir, .gzip(level: 0)),
        (.mbox, .compact), (.maildir, .compact),
    ]

    @Test("every tricky message comes back byte for byte in every format and compression", arguments: 0..<7)
    func roundTrip(settingIndex: Int) throws {
        let (format, compression) = Self.settings[settingIndex]
        let directory = try TemporaryDirectory()
        let crateURL = directory.child("crate")
        let writer = try CrateWriter.open(
            at: crateURL, format: format, compression: compression, source: SampleMessages.source, toolVersion: "test")
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        var written: [UInt32: [UInt8]] = [:]
        for (index, sample) in SampleMessages.all.enumerated() {
            let uid = UInt32(index + 1)
            let sink = try inbox.beginMessage(
                uid: uid, flags: ["\\Seen", "$Forwarded", "Work"], internalDate: "17-Jul-1996 02:44:25 -0700",
                internalDateUnix: 837_596_665, expectedSize: sample.bytes.count)
            try SampleMessages.feed(sample.bytes, to: sink)
            let record = try sink.finish()
            #expect(record.size == sample.bytes.count)
            written[uid] = sample.bytes
        }
        try inbox.commit()
        try writer.finish(state: .complete)

        let reader = try CrateReader(at: crateURL)
        let folder = try #require(reader.folder(named: "INBOX"))
        #expect(folder.messageCount == SampleMessages.all.count)
        let records = try reader.records(in: folder)
        #expect(records.count == SampleMessages.all.count)
        for record in records {
            let source = try reader.openMessage(record, in: folder)
            let bytes = try source.readAll()
            #expect(bytes == written[record.uid], "UID \(record.uid) in \(format) \(compression)")
            #expect(record.flags == ["\\Seen", "$Forwarded", "Work"])
        }
    }
}

@Suite("Crate round trip details")
struct CrateRoundTripDetailTests {
    @Test("Maildir files are gzip, named with S= and W=, dated by INTERNALDATE, Message-ID recorded")
    func maildirFile() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter()
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        let record = try CrateFixture.store(
            SampleMessages.bareLF, uid: 5, in: inbox, flags: ["\\Seen", "\\Flagged", "Work"],
            internalDateUnix: 837_596_665)
        try writer.finish(state: .complete)
        guard case .file(let file) = record.location else {
            Issue.record("expected a Maildir file")
            return
        }
        let size = SampleMessages.bareLF.count
        let lineFeeds = SampleMessages.bareLF.filter { $0 == 0x0A }.count
        #expect(file == "cur/837596665.U0000000005V1000.\(CrateFileSystem.maildirHostName),S=\(size),W=\(size + lineFeeds):2,FSa")
        #expect(record.messageID == "<folded@example.com>")
        let path = fixture.path + "/maildir/" + file
        let stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(stored.prefix(2) == [0x1F, 0x8B])
        #expect(try GzipReader.decompress(stored) == SampleMessages.bareLF)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 == 837_596_665)
    }

    @Test("uncompressed Maildir files hold the raw message")
    func rawMaildir() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir, compression: .none)
        let stored = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try fixture.dataPath(folder: "INBOX"))))
        #expect(stored == SampleMessages.plainCRLF)
    }

    @Test("an uncompressed mbox file is a plain mbox")
    func rawMbox() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .mbox, compression: .none)
        let path = fixture.path + "/mbox/Sent.mbox"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("From MAILER-DAEMON Tue Nov 14 22:13:20 2023\nFrom: a@example.com\n"))
        #expect(text.hasSuffix("line two\n\n"))
    }

    @Test("an mbox file is one gzip member per message, at the offsets the index records")
    func mboxMembers() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .mbox)
        let reader = try fixture.reader()
        let inbox = try #require(reader.folder(named: "INBOX"))
        let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: fixture.path + "/" + inbox.location)))
        var end = 0
        for record in try reader.records(in: inbox) {
            guard case .mbox(let offset, let length) = record.location else { continue }
            #expect(offset == end)
            let member = try GzipReader.decompress(Array(file[offset..<(offset + length)]))
            #expect(member.starts(with: Array("From MAILER-DAEMON ".utf8)))
            end = offset + length
        }
        #expect(end == file.count)
    }
}
