/// Appends records to a folder's JSON Lines index. Lines reach the file only at `sync()`, which
/// the caller runs after the messages' data is durable (batched durability).
///
/// A failed `sync()` cuts the file back to its last complete line, so a later `sync()` never
/// appends after half a line.
public final class IndexWriter {
    public let path: String
    private let file: CrateFile
    private var pending: [UInt8] = []
    /// Records appended but not yet synced.
    public private(set) var pendingCount = 0
    /// Length of the file's synced content.
    public private(set) var durableLength: Int

    /// Opens (creating, mode 0600) the index at `path`; a `validLength` shorter than the file cuts
    /// a torn tail off first.
    public init(path: String, validLength: Int? = nil) throws {
        self.path = path
        file = try CrateFile.openForAppending(path)
        let size = try file.size()
        if let validLength, validLength < size {
            try file.truncate(to: validLength)
            try file.sync()
            durableLength = validLength
        } else {
            durableLength = size
        }
    }

    /// Queues one record (one JSON line) for the next `sync()`.
    public func append(_ record: MessageRecord) {
        pending.append(contentsOf: record.jsonLine())
        pending.append(0x0A)
        pendingCount += 1
    }

    /// Writes the queued lines with one `write` and fsyncs the index.
    public func sync() throws {
        guard !pending.isEmpty else { return }
        do {
            try file.write(pending)
            try file.sync()
        } catch {
            // Never leave half a line behind: the next append would follow garbage.
            try? file.truncate(to: durableLength)
            throw error
        }
        durableLength += pending.count
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
    }

    /// Drops the queued lines (their messages were not made durable).
    public func discardPending() {
        pending.removeAll(keepingCapacity: true)
        pendingCount = 0
    }

    public func close() throws {
        try file.close()
    }
}
