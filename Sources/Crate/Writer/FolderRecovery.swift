/// What reopening a crate found and repaired, so a resumed export starts from a clean state.
public struct RecoveryReport: Sendable, Equatable {
    /// Folders whose index ended in a torn line (cut off).
    public var tornIndexFolders: [String] = []
    /// Leftover files removed from Maildir `tmp/` directories.
    public var removedTemporaryFiles = 0
    /// Maildir files written but never indexed (an interrupted batch), removed.
    public var removedUnindexedFiles = 0
    /// Bytes cut from the end of mbox files (members written but never indexed).
    public var truncatedMboxBytes = 0

    public init() {}

    /// True when nothing needed repair.
    public var isClean: Bool {
        tornIndexFolders.isEmpty && removedTemporaryFiles == 0 && removedUnindexedFiles == 0 && truncatedMboxBytes == 0
    }
}

/// Rebuilds a folder's ledger from its index and repairs what an interrupted run left behind:
/// torn index tail, Maildir `tmp/` leftovers and unindexed files, mbox bytes past the last
/// indexed member.
struct FolderRecovery {
    var ledger = FolderLedger()
    /// Length to cut the index to (its last complete line), when it had a torn tail.
    var indexValidLength: Int?

    static func run(entry: Manifest.Folder, crateRoot: String, report: inout RecoveryReport) throws -> FolderRecovery {
        var recovery = FolderRecovery()
        let indexPath = crateRoot + "/" + entry.indexFile
        var indexedFiles = Set<String>()
        if try CrateFileSystem.entryType(indexPath) != nil {
            let reader = try IndexReader(path: indexPath)
            while let item = try reader.next() {
                switch item {
                case .corrupt(let line, let reason):
                    throw IndexReader.corruptLine(path: indexPath, line: line, reason: reason)
                case .record(let record, _):
                    guard let hash = MessageHash(hex: record.sha256) else { continue }
                    if case .file(let file) = record.location {
                        try CrateLayout.validateMessageFile(file, indexPath: indexPath)
                        indexedFiles.insert(file)
                    }
                    recovery.ledger.note(record, hash: hash)
                    recovery.ledger.messageCount += 1
                    recovery.ledger.bytes += record.size
                }
            }
            if reader.tornTail {
                recovery.indexValidLength = reader.validLength
                report.tornIndexFolders.append(entry.name)
                let file = try CrateFile.openForAppending(indexPath)
                try file.truncate(to: reader.validLength)
                try file.sync()
                try file.close()
            }
            try reader.close()
        }
        let dataPath = crateRoot + "/" + entry.location
        switch entry.format {
        case .maildir:
            try cleanMaildir(dataPath, indexedFiles: indexedFiles, report: &report)
        case .mbox:
            try trimMbox(dataPath, committedEnd: recovery.ledger.mboxEnd, report: &report)
        }
        return recovery
    }

    private static func cleanMaildir(_ path: String, indexedFiles: Set<String>, report: inout RecoveryReport) throws {
        let temporary = path + "/tmp"
        if try CrateFileSystem.entryType(temporary) == .directory {
            for name in try CrateFileSystem.listDirectory(temporary)
            where try CrateFileSystem.entryType(temporary + "/" + name) == .regular {
                try CrateFileSystem.removeFile(temporary + "/" + name)
                report.removedTemporaryFiles += 1
            }
        }
        for subdirectory in ["cur", "new"] {
            let directory = path + "/" + subdirectory
            guard try CrateFileSystem.entryType(directory) == .directory else { continue }
            for name in try CrateFileSystem.listDirectory(directory)
            where MaildirFileName.isOurs(name) && !indexedFiles.contains(subdirectory + "/" + name) {
                try CrateFileSystem.removeFile(directory + "/" + name)
                report.removedUnindexedFiles += 1
            }
        }
    }

    private static func trimMbox(_ path: String, committedEnd: Int, report: inout RecoveryReport) throws {
        guard try CrateFileSystem.entryType(path) != nil else {
            if committedEnd > 0 {
                throw CrateError.corrupt("a missing mbox file although its index lists messages", path: path)
            }
            return
        }
        let file = try CrateFile.openForAppending(path)
        let size = try file.size()
        if size > committedEnd {
            try file.truncate(to: committedEnd)
            try file.sync()
            report.truncatedMboxBytes += size - committedEnd
        } else if size < committedEnd {
            throw CrateError.corrupt(
                "an mbox file of \(size) bytes although its index lists messages up to byte \(committedEnd)",
                path: path)
        }
        try file.close()
    }
}
