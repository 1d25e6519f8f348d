/// Summaries for `imapcrate inspect`: folder counts and date ranges from the indexes, and
/// per-message listings whose Subject is read from the start of each stored message.
public struct CrateInspector: Sendable {
    public let reader: CrateReader

    public init(reader: CrateReader) {
        self.reader = reader
    }

    /// The crate and every folder (reads the indexes, not the messages).
    public func summary() throws -> CrateSummary {
        let manifest = reader.manifest
        var folders: [FolderSummary] = []
        for folder in manifest.folders {
            var summary = FolderSummary(
                name: folder.name, specialUse: folder.specialUse, selectable: folder.selectable,
                subscribed: folder.subscribed, messageCount: 0, bytes: 0)
            if let index = try reader.indexReader(for: folder) {
                defer { try? index.close() }
                while let entry = try index.next() {
                    guard case .record(let record, _) = entry else { continue }
                    summary.messageCount += 1
                    summary.bytes += record.size
                    if summary.firstInternalDateUnix.map({ record.internalDateUnix < $0 }) ?? true {
                        summary.firstInternalDateUnix = record.internalDateUnix
                        summary.firstInternalDate = record.internalDate
                    }
                    if summary.lastInternalDateUnix.map({ record.internalDateUnix > $0 }) ?? true {
                        summary.lastInternalDateUnix = record.internalDateUnix
                        summary.lastInternalDate = record.internalDate
                    }
                }
            }
            folders.append(summary)
        }
        return CrateSummary(
            source: manifest.source, mailFormat: manifest.mailFormat, state: manifest.state,
            created: manifest.created, updated: manifest.updated, toolVersion: manifest.toolVersion,
            totals: manifest.totals, folders: folders)
    }

    /// Every message of `folder` in index order. With `readSubjects`, each message's header is
    /// streamed (only the header: the rest is never decompressed) to read its Subject.
    public func messages(in folder: Manifest.Folder, readSubjects: Bool = true) throws -> [MessageSummary] {
        try reader.records(in: folder).map { record in
            MessageSummary(
                uid: record.uid, uidValidity: record.uidValidity, internalDate: record.internalDate,
                internalDateUnix: record.internalDateUnix, size: record.size, flags: record.flags,
                messageID: record.messageID, subject: readSubjects ? subject(of: record, in: folder) : nil)
        }
    }

    /// The decoded Subject of a stored message; nil when absent or unreadable.
    public func subject(of record: MessageRecord, in folder: Manifest.Folder) -> String? {
        guard let source = try? reader.openMessage(record, in: folder) else { return nil }
        defer { source.close() }
        var header = HeaderScanner(limit: 64 * 1024)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 16 * 1024, alignment: 16)
        defer { buffer.deallocate() }
        while !header.isComplete {
            guard let count = try? source.read(into: buffer), count > 0 else { break }
            header.consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
        return header.value(of: "Subject").map(EncodedWords.decode)
    }
}
