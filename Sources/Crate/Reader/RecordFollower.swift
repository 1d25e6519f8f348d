/// Reads a folder's index records as a writer commits them, in index order and in constant
/// memory; see `CrateReader.follow(_:)`. Checks each record as `CrateReader` does.
public final class RecordFollower {
    private let path: String
    private var reader: IndexReader?

    init(path: String) {
        self.path = path
    }

    deinit { try? reader?.close() }

    /// The next complete record, or nil when the writer has committed nothing more yet (the
    /// index may not exist until the first commit).
    public func next() throws -> MessageRecord? {
        if reader == nil {
            guard try CrateFileSystem.entryType(path) != nil else { return nil }
            reader = try IndexReader(path: path)
        }
        guard let reader, let entry = try reader.nextAppended() else { return nil }
        return try CrateReader.checked(entry, reader: reader)
    }
}
