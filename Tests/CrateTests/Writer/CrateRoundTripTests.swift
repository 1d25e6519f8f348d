import Foundation
import Testing
@testable import Crate

@Suite("Crate round trip")
struct CrateRoundTripTests {
    static let settings: [(MailFormat, CompressionSettings)] = [
        (.maildir, .default), (.maildir, .none), (.mbox, .default), (.mbox, .none), (.maildir, .gzip(level: 0)),
        (.mbox, .fast),
    ]

    @Test("every tricky message comes back byte for byte in every format and compression", arguments: 0..<6)
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
