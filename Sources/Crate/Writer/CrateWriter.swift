import Foundation

/// Writes a crate: creates or reopens it (with recovery), registers folders, keeps the manifest.
///
/// ```
/// let crate = try CrateWriter.open(at: url, format: .maildir, compression: .default,
///                                  source: SourceInfo(host: "imap.example.com", user: "alice"),
///                                  toolVersion: "1.0.0")
/// let inbox = try crate.folder(FolderDescriptor(name: "INBOX", pathComponents: ["INBOX"],
///                                               separator: "/", uidValidity: 1, uidNext: 10))
/// let sink = try inbox.beginMessage(uid: 1, flags: ["\\Seen"], internalDate: "…", internalDateUnix: 0)
/// try sink.write(chunk); _ = try sink.finish()
/// try inbox.commit()                     // every N messages / MB
/// try crate.finish(state: .complete)
/// ```
/// Holds an exclusive lock on the crate until `finish` (or until released). Thread-safe.
public final class CrateWriter: @unchecked Sendable {
    /// The crate directory.
    public let url: URL
    public let format: MailFormat
    /// Compression for folders created by this writer (existing folders keep theirs).
    public let compression: CompressionSettings
    /// What reopening repaired (empty for a new crate).
    public let recovery: RecoveryReport

    let root: String
    private let lock = NSLock()
    private var crateLock: CrateLock?
    private var manifest: Manifest
    private var writers: [[UInt8]: FolderWriter] = [:]
    private var recovered: [String: FolderRecovery]
    private var keys: FolderKeyAllocator
    private var isFinished = false

    init(
        url: URL, root: String, format: MailFormat, compression: CompressionSettings, lock: CrateLock,
        manifest: Manifest, recovered: [String: FolderRecovery], recovery: RecoveryReport
    ) {
        self.url = url
        self.root = root
        self.format = format
        self.compression = compression
        crateLock = lock
        self.manifest = manifest
        self.recovered = recovered
        self.recovery = recovery
        keys = FolderKeyAllocator(existing: manifest.folders.map { Self.key(ofIndexFile: $0.indexFile) })
    }

    /// The manifest as it would be written now (counts include committed messages only).
    public var currentManifest: Manifest {
        lock.withLock { mergedManifest(state: manifest.state) }
    }

    /// Registers a folder (or updates its server-side facts) and returns its writer.
    ///
    /// A new folder gets a safe, collision-free location and its directories are created at once,
    /// even when it stays empty. Calling it again for the same name returns the same writer.
    public func folder(_ descriptor: FolderDescriptor) throws -> FolderWriter {
        try lock.withLock {
            guard !isFinished else {
                throw CrateError(.invalidArgument, "the crate writer for \(root) was already finished")
            }
            let nameKey = Array(descriptor.name.utf8)
            if let existing = manifest.folders.firstIndex(where: { $0.name.utf8.elementsEqual(nameKey) }) {
                var entry = manifest.folders[existing]
                entry.apply(descriptor)
                if entry != manifest.folders[existing] {
                    manifest.folders[existing] = entry
                    try mergedManifest(state: .partial).write(crateRoot: root)
                }
                if let writer = writers[nameKey] {
                    writer.update(descriptor)
                    return writer
                }
                try createDirectories(for: entry)
                let recovery = recovered.removeValue(forKey: entry.location) ?? FolderRecovery()
                let writer = try FolderWriter(
                    entry: entry, crateRoot: root, compression: compression, ledger: recovery.ledger,
                    indexValidLength: recovery.indexValidLength, lock: crateLock)
                writers[nameKey] = writer
                return writer
            }
            let key = keys.allocate(pathComponents: descriptor.pathComponents, isInbox: descriptor.isInbox)
            let entry = Manifest.Folder(
                name: descriptor.name, pathComponents: descriptor.pathComponents, separator: descriptor.separator,
                specialUse: descriptor.specialUse, subscribed: descriptor.subscribed,
                selectable: descriptor.selectable, uidValidity: descriptor.uidValidity,
                uidNext: descriptor.uidNext, highestModSeq: descriptor.highestModSeq, messageCount: 0, bytes: 0,
                format: format, compression: compression.kind,
                location: CrateLayout.location(
                    key: key, format: format, compression: compression.kind, isInbox: descriptor.isInbox),
                indexFile: CrateLayout.indexFile(key: key))
            // Manifest first: a crash after it leaves a folder whose directories a rerun creates.
            manifest.folders.append(entry)
            try mergedManifest(state: .partial).write(crateRoot: root)
            try createDirectories(for: entry)
            let writer = try FolderWriter(
                entry: entry, crateRoot: root, compression: compression, ledger: FolderLedger(), indexValidLength: nil,
                lock: crateLock)
            writers[nameKey] = writer
            return writer
        }
    }

    /// Commits every folder writer (see `FolderWriter.commit()`).
    public func commitAll() throws {
        for writer in lock.withLock({ Array(writers.values) }) { try writer.commit() }
    }

    /// Writes the manifest now (atomically), with the counts of everything committed so far.
    public func saveManifest(state: CrateState = .partial) throws {
        try lock.withLock {
            try mergedManifest(state: state).write(crateRoot: root)
        }
    }

    /// Commits every folder, writes the manifest with `state` and releases the crate's lock.
    /// Every message sink must be finished or aborted first. The writer cannot be used after.
    public func finish(state: CrateState) throws {
        try lock.withLock {
            guard !isFinished else { return }
            for writer in writers.values { try writer.close() }
            let final = mergedManifest(state: state)
            try final.write(crateRoot: root)
            manifest = final
            isFinished = true
            crateLock = nil  // releases the flock: readers and the next writer may start
        }
    }

    /// The manifest with counts taken from the folder writers, totals and `updated` refreshed.
    private func mergedManifest(state: CrateState) -> Manifest {
        var result = manifest
        for index in result.folders.indices {
            if let writer = writers[Array(result.folders[index].name.utf8)] {
                result.folders[index].messageCount = writer.messageCount
                result.folders[index].bytes = writer.bytes
            }
        }
        result.state = state
        result.updated = Date()
        result.updateTotals()
        return result
    }

    private func createDirectories(for entry: Manifest.Folder) throws {
        guard entry.format == .maildir else { return }
        let path = root + "/" + entry.location
        var created = try CrateFileSystem.makeDirectory(path)
        for subdirectory in CrateLayout.maildirSubdirectories {
            created = try CrateFileSystem.makeDirectory(path + "/" + subdirectory) || created
        }
        if entry.location != CrateLayout.maildirDirectory {
            let marker = path + "/" + CrateLayout.maildirFolderMarker
            if try CrateFileSystem.entryType(marker) == nil {
                try CrateFile.createTruncating(marker).close()
                created = true
            }
        }
        if created {
            try CrateFileSystem.syncDirectory(path)
            try CrateFileSystem.syncDirectory(root + "/" + CrateLayout.maildirDirectory)
        }
    }

    /// The folder key is the index file's name without directory and `.jsonl`.
    static func key(ofIndexFile indexFile: String) -> String {
        var name = indexFile.split(separator: "/").last.map(String.init) ?? indexFile
        if name.hasSuffix(".jsonl") { name.removeLast(6) }
        return name
    }
}
