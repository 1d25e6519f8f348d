import Foundation

/// Reads a crate: the validated manifest, each folder's index records and each message's
/// original bytes (streamed and verified). Takes no lock and writes nothing.
public final class CrateReader: Sendable {
    /// Which records of a folder to return.
    public enum RecordSelection: Sendable {
        /// Every index record.
        case all
        /// What the folder holds now: records of its current UIDVALIDITY, plus records of earlier
        /// UIDVALIDITY values whose content (SHA-256) is not among them. A restore uses this to
        /// avoid appending a message twice after the server changed UIDVALIDITY.
        case current
    }

    public let url: URL
    public let manifest: Manifest
    let root: String

    /// Opens the crate at `url` and validates its manifest (see `Manifest.read`).
    public init(at url: URL) throws {
        self.url = url
        root = url.standardizedFileURL.path
        manifest = try Manifest.read(crateRoot: root)
    }

    /// Every folder, in manifest order.
    public var folders: [Manifest.Folder] { manifest.folders }

    /// The folder named exactly `name`.
    public func folder(named name: String) -> Manifest.Folder? {
        manifest.folder(named: name)
    }

    /// A streaming reader of the folder's index (constant memory), or nil when the folder has
    /// no index file yet.
    public func indexReader(for folder: Manifest.Folder) throws -> IndexReader? {
        let path = root + "/" + folder.indexFile
        guard try CrateFileSystem.entryType(path) != nil else { return nil }
        return try IndexReader(path: path)
    }

    /// The folder's records in index order; a corrupt index line throws `.corrupt`.
    /// Holds them all in memory (a few hundred bytes each); see `forEachRecord` for huge folders.
    public func records(in folder: Manifest.Folder, selection: RecordSelection = .all) throws -> [MessageRecord] {
        var records: [MessageRecord] = []
        try forEachRecord(in: folder, selection: selection) { records.append($0) }
        return records
    }

    /// Calls `body` with each selected record in index order, in constant memory for `.all`
    /// (`.current` first keeps the hashes of the current UIDVALIDITY: 32 bytes per message).
    /// A corrupt index line, or a record repeating a (UIDVALIDITY, UID) pair, throws
    /// `.corrupt`; a record whose file lies outside `cur/` or `new/` throws `.unsafePath`
    /// (before anything is done with it); a torn last line is skipped.
    public func forEachRecord(
        in folder: Manifest.Folder, selection: RecordSelection = .all, _ body: (MessageRecord) throws -> Void
    ) throws {
        var currentHashes: Set<MessageHash>?
        if selection == .current, let current = folder.uidValidity {
            var hashes = Set<MessageHash>()
            try scan(folder) { record in
                if record.uidValidity == current, let hash = MessageHash(hex: record.sha256) { hashes.insert(hash) }
            }
            currentHashes = hashes
        }
        try scan(folder) { record in
            if let currentHashes, record.uidValidity != folder.uidValidity,
               let hash = MessageHash(hex: record.sha256), currentHashes.contains(hash) {
                return
            }
            try body(record)
        }
    }

    private func scan(_ folder: Manifest.Folder, _ body: (MessageRecord) throws -> Void) throws {
        guard let reader = try indexReader(for: folder) else { return }
        defer { try? reader.close() }
        while let entry = try reader.next() {
            try body(Self.checked(entry, reader: reader))
        }
    }

    /// The record of an index entry that is safe to act on: a corrupt line, a second record
    /// for one (UIDVALIDITY, UID) pair (importing both would append the message twice) or a
    /// file outside `cur/` and `new/` throws.
    static func checked(_ entry: IndexReader.Entry, reader: IndexReader) throws -> MessageRecord {
        switch entry {
        case .record(let record, let line):
            if let duplicate = reader.duplicates.last, duplicate.line == line {
                throw IndexReader.corruptLine(
                    path: reader.path, line: line,
                    reason: "a second record for UID \(record.uid) (UIDVALIDITY \(record.uidValidity))")
            }
            if case .file(let file) = record.location {
                try CrateLayout.validateMessageFile(file, indexPath: reader.path)
            }
            return record
        case .corrupt(let line, let reason): throw IndexReader.corruptLine(path: reader.path, line: line, reason: reason)
        }
    }

    /// Follows a folder's index while a writer commits to it (`copy` imports a crate its
    /// export is still writing): each call to `next()` returns the next committed record, or
    /// nil when there is none yet.
    public func follow(_ folder: Manifest.Folder) -> RecordFollower {
        RecordFollower(path: root + "/" + folder.indexFile)
    }

    /// Opens a message for streaming its original bytes.
    public func openMessage(_ record: MessageRecord, in folder: Manifest.Folder) throws -> MessageSource {
        try MessageSource(record: record, folder: folder, crateRoot: root)
    }
}
