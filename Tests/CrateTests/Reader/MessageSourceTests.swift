import Foundation
import Testing
@testable import Crate

@Suite("MessageSource")
struct MessageSourceTests {
    static func crate(format: MailFormat, compression: CompressionSettings = .default) throws -> (CrateFixture, CrateReader, Manifest.Folder) {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: format, compression: compression)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        for (index, sample) in SampleMessages.all.enumerated() {
            try CrateFixture.store(sample.bytes, uid: UInt32(index + 1), in: inbox)
        }
        try writer.finish(state: .complete)
        let reader = try fixture.reader()
        return (fixture, reader, try #require(reader.folder(named: "INBOX")))
    }

    @Test("reading into small buffers gives the same bytes as nextChunk", arguments: [MailFormat.maildir, .mbox])
    func smallBuffers(format: MailFormat) throws {
        let (fixture, reader, folder) = try Self.crate(format: format)
        defer { withExtendedLifetime(fixture) {} }
        let records = try reader.records(in: folder)
        #expect(records.count == SampleMessages.all.count)
        for record in records where record.size < 10_000 {
            let source = try reader.openMessage(record, in: folder)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 7)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try source.read(into: $0) }
                if count == 0 { break }
                bytes += buffer[0..<count]
            }
            #expect(bytes == SampleMessages.all[Int(record.uid) - 1].bytes)
            // After the end, reads keep returning 0.
            #expect(try buffer.withUnsafeMutableBytes { try source.read(into: $0) } == 0)
        }
    }

    @Test("a message can be abandoned early without error; verify() reads to the end")
    func abandon() throws {
        let (fixture, reader, folder) = try Self.crate(format: .mbox)
        defer { withExtendedLifetime(fixture) {} }
        let large = try #require(try reader.records(in: folder).first { $0.size > 1_000_000 })
        let source = try reader.openMessage(large, in: folder)
        #expect(try source.nextChunk(maximumLength: 100)?.count == 100)
        source.close()
        try reader.openMessage(large, in: folder).verify()
    }

    @Test("an mbox record beyond the end of the file is corrupt")
    func beyondEnd() throws {
        let (fixture, reader, folder) = try Self.crate(format: .mbox, compression: .none)
        defer { withExtendedLifetime(fixture) {} }
        var record = try reader.records(in: folder)[0]
        record.location = .mbox(offset: 10_000_000, length: 10)
        let error = #expect(throws: CrateError.self) { try reader.openMessage(record, in: folder) }
        #expect(error?.code == .corrupt)
    }

    @Test("a record claiming a different size or hash is reported, not returned silently", arguments: [MailFormat.maildir, .mbox])
    func wrongRecord(format: MailFormat) throws {
        let (fixture, reader, folder) = try Self.crate(format: format)
        defer { withExtendedLifetime(fixture) {} }
        let original = try reader.records(in: folder)[0]
        var shorter = original
        shorter.size -= 1
        #expect(throws: CrateError.self) { try reader.openMessage(shorter, in: folder).readAll() }
        var longer = original
        longer.size += 1
        #expect(throws: CrateError.self) { try reader.openMessage(longer, in: folder).readAll() }
        var otherHash = original
        otherHash.sha256 = String(repeating: "0", count: 64)
        let error = #expect(throws: CrateError.self) { try reader.openMessage(otherHash, in: folder).readAll() }
        #expect(error?.message.contains("SHA-256") == true)
    }
}

@Suite("MessageSource path safety")
struct MessageSourcePathSafetyTests {
    @Test("a cur/ directory replaced by a symlink is refused")
    func symlinkedCur() throws {
        let fixture = try CrateFixture()
        try fixture.makeSample(format: .maildir)
        let outside = try TemporaryDirectory()
        let sent = fixture.path + "/maildir/.Sent"
        try FileManager.default.moveItem(atPath: sent + "/cur", toPath: outside.path + "/cur")
        try FileManager.default.createSymbolicLink(atPath: sent + "/cur", withDestinationPath: outside.path + "/cur")
        let reader = try fixture.reader()
        let folder = try #require(reader.folder(named: "Sent"))
        let error = #expect(throws: CrateError.self) { try reader.openMessage(try reader.records(in: folder)[0], in: folder) }
        #expect(error?.code == .unsafePath)
        #expect(!(try CrateVerifier(url: fixture.url).verify().isValid))
        let writer = #expect(throws: CrateError.self) { try fixture.openWriter().folder(SampleMessages.descriptor("Sent")) }
        #expect(writer?.code == .unsafePath)
    }
}
