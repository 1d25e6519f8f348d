import Foundation

extension CrateWriter {
    /// Creates a crate at `url`, or reopens the crate there to add to it.
    ///
    /// Reopening loads the manifest and every index and repairs what an interrupted run left
    /// (see `recovery`): torn index lines are cut, Maildir `tmp/` leftovers and unindexed files
    /// removed, mbox files cut back to the end of their last indexed member. The manifest is
    /// marked `partial` until `finish(state: .complete)`.
    ///
    /// - Parameters:
    ///   - format: the storage format; nil keeps an existing crate's format (maildir for a new one).
    ///   - compression: for folders created from now on; existing folders keep theirs.
    ///   - source: the exported account; reopening a crate of another account is refused.
    ///   - toolVersion: recorded in the manifest.
    ///
    /// Throws `.locked` when another process writes the crate, `.notACrate` for a non-empty
    /// directory without a manifest, `.incompatible` for a crate of another format or account.
    public static func open(
        at url: URL, format requestedFormat: MailFormat? = nil, compression: CompressionSettings = .default,
        source: SourceInfo, toolVersion: String
    ) throws -> CrateWriter {
        let root = url.standardizedFileURL.path
        let format = requestedFormat ?? .maildir
        let isNew = try prepareRoot(root)
        let lock = try CrateLock.exclusive(crateRoot: root)
        if try isNew || CrateFileSystem.entryType(root + "/" + Manifest.fileName) == nil {
            var manifest = Manifest(
                toolVersion: toolVersion, created: Date(), source: source, mailFormat: format,
                compression: compression.kind)
            manifest.updateTotals()
            try manifest.write(crateRoot: root)
            try createBaseDirectories(root: root, format: format)
            return CrateWriter(
                url: url, root: root, format: format, compression: compression, lock: lock, manifest: manifest,
                recovered: [:], recovery: RecoveryReport())
        }
        var manifest = try Manifest.read(crateRoot: root)
        try checkCompatible(manifest, root: root, format: requestedFormat ?? manifest.mailFormat, source: source)
        manifest.source.capabilities = source.capabilities
        manifest.source.separator = source.separator ?? manifest.source.separator
        manifest.toolVersion = toolVersion
        manifest.compression = compression.kind
        var report = RecoveryReport()
        var recovered: [String: FolderRecovery] = [:]
        for index in manifest.folders.indices {
            let folder = manifest.folders[index]
            let recovery = try FolderRecovery.run(entry: folder, crateRoot: root, report: &report)
            manifest.folders[index].messageCount = recovery.ledger.messageCount
            manifest.folders[index].bytes = recovery.ledger.bytes
            recovered[folder.location] = recovery
        }
        try createBaseDirectories(root: root, format: manifest.mailFormat)
        manifest.state = .partial
        manifest.updated = Date()
        manifest.updateTotals()
        try manifest.write(crateRoot: root)
        return CrateWriter(
            url: url, root: root, format: manifest.mailFormat, compression: compression, lock: lock, manifest: manifest,
            recovered: recovered, recovery: report)
    }

    /// Creates the crate directory when missing; true when it is new (or empty).
    private static func prepareRoot(_ root: String) throws -> Bool {
        switch try CrateFileSystem.entryType(root) {
        case nil:
            let parent = AtomicFile.parentDirectory(of: root)
            if try CrateFileSystem.entryType(parent) == nil {
                do {
                    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
                } catch {
                    throw CrateError(.io, "cannot create the directory \(parent): \(error)", path: parent)
                }
            }
            try CrateFileSystem.makeDirectory(root)
            return true
        case .directory?, .symlink?:
            let entries = try CrateFileSystem.listDirectory(root).filter { $0 != CrateLock.fileName }
            if entries.isEmpty {
                try CrateFileSystem.restrictDirectory(root)
                return true
            }
            if !entries.contains(Manifest.fileName) {
                throw CrateError(
                    .notACrate,
                    "\(root) is not empty and holds no \(Manifest.fileName), so it is not a crate; "
                        + "choose a new or empty directory",
                    path: root)
            }
            return false
        default:
            throw CrateError(.notACrate, "\(root) exists and is not a directory; choose another path", path: root)
        }
    }

    private static func checkCompatible(_ manifest: Manifest, root: String, format: MailFormat, source: SourceInfo) throws {
        guard manifest.mailFormat == format else {
            throw CrateError(
                .incompatible,
                "the crate \(root) is in \(manifest.mailFormat) format; run again with --format "
                    + "\(manifest.mailFormat) or choose another directory",
                path: root)
        }
        let sameHost = manifest.source.host.lowercased() == source.host.lowercased()
        guard sameHost && manifest.source.user == source.user else {
            throw CrateError(
                .incompatible,
                "the crate \(root) holds an export of \(manifest.source.user) on \(manifest.source.host), not of "
                    + "\(source.user) on \(source.host); choose another directory",
                path: root)
        }
    }

    private static func createBaseDirectories(root: String, format: MailFormat) throws {
        var created = try CrateFileSystem.makeDirectory(root + "/" + CrateLayout.indexDirectory)
        let data = root + "/" + CrateLayout.dataDirectory(format)
        created = try CrateFileSystem.makeDirectory(data) || created
        if format == .maildir {
            for subdirectory in CrateLayout.maildirSubdirectories {
                created = try CrateFileSystem.makeDirectory(data + "/" + subdirectory) || created
            }
            if created { try CrateFileSystem.syncDirectory(data) }
        }
        if created { try CrateFileSystem.syncDirectory(root) }
    }
}
