import Foundation
@testable import Crate

/// A crate in a temporary directory with helpers to add messages.
struct CrateFixture {
    let directory: TemporaryDirectory
    let url: URL
    var path: String { url.path }

    init() throws {
        directory = try TemporaryDirectory()
        url = directory.child("crate")
    }

    func openWriter(
        format: MailFormat = .maildir, compression: CompressionSettings = .default,
        source: SourceInfo = SampleMessages.source
    ) throws -> CrateWriter {
        try CrateWriter.open(at: url, format: format, compression: compression, source: source, toolVersion: "test")
    }

    /// Stores `bytes` as `uid` and returns the record (not committed).
    @discardableResult
    static func store(
        _ bytes: [UInt8], uid: UInt32, in folder: FolderWriter, flags: [String] = ["\\Seen"],
        internalDateUnix: Int64 = 1_700_000_000
    ) throws -> MessageRecord {
        let sink = try folder.beginMessage(
            uid: uid, flags: flags, internalDate: "14-Nov-2023 22:13:20 +0000", internalDateUnix: internalDateUnix,
            expectedSize: bytes.count)
        try SampleMessages.feed(bytes, to: sink, chunkSizes: [4096])
        return try sink.finish()
    }

    /// A complete crate with INBOX (3 messages), Sent (1) and an empty Archive.
    func makeSample(format: MailFormat, compression: CompressionSettings = .default) throws {
        let writer = try openWriter(format: format, compression: compression)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try Self.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
        try Self.store(SampleMessages.fromLines, uid: 2, in: inbox)
        try Self.store(SampleMessages.longLine, uid: 3, in: inbox)
        let sent = try writer.folder(SampleMessages.descriptor("Sent"))
        try Self.store(SampleMessages.bareLF, uid: 1, in: sent)
        _ = try writer.folder(SampleMessages.descriptor("Archive"))
        try writer.finish(state: .complete)
    }

    func reader() throws -> CrateReader { try CrateReader(at: url) }

    /// Absolute path of a folder's first message data (Maildir file or mbox file).
    func dataPath(folder name: String, uid: UInt32 = 1) throws -> String {
        let reader = try reader()
        let folder = reader.folder(named: name)!
        let record = try reader.records(in: folder).first { $0.uid == uid }!
        switch record.location {
        case .file(let file): return path + "/" + folder.location + "/" + file
        case .mbox: return path + "/" + folder.location
        }
    }

    func readAll(folder name: String) throws -> [UInt32: [UInt8]] {
        let reader = try reader()
        let folder = reader.folder(named: name)!
        var result: [UInt32: [UInt8]] = [:]
        for record in try reader.records(in: folder) {
            result[record.uid] = try reader.openMessage(record, in: folder).readAll()
        }
        return result
    }
}
