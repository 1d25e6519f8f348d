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
    public func records(in folder: Manifest.Folder, selection: RecordSelection = .all) throws -> [MessageRecord] {
        guard let reader = try indexReader(for: folder) else { return [] }
        defer { try? reader.close() }
        let all = try reader.readAll()
        guard selection == .current, let current = folder.uidValidity else { return all }
        let currentHashes = Set(all.lazy.filter { $0.uidValidity == current }.map { $0.sha256.lowercased() })
        return all.filter { $0.uidValidity == current || !currentHashes.contains($0.sha256.lowercased()) }
    }

    /// Opens a message for streaming its original bytes.
    public func openMessage(_ record: MessageRecord, in folder: Manifest.Folder) throws -> MessageSource {
        try MessageSource(record: record, folder: folder, crateRoot: root)
    }
}
