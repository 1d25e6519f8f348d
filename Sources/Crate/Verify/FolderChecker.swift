#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Verifies one folder: every record's data (hash, size, gzip), the index itself, the counts in
/// the manifest, and the folder's files (unindexed Maildir files, mbox member tiling).
struct FolderChecker {
    let reader: CrateReader
    let root: String
    let mismatchSeverity: VerificationProblem.Severity
    let progress: (@Sendable (VerificationProgress) -> Void)?
    let totals: Manifest.Totals
    private(set) var messagesChecked = 0
    private(set) var bytesChecked = 0

    init(
        reader: CrateReader, root: String, mismatchSeverity: VerificationProblem.Severity,
        progress: (@Sendable (VerificationProgress) -> Void)?, totals: Manifest.Totals
    ) {
        self.reader = reader
        self.root = root
        self.mismatchSeverity = mismatchSeverity
        self.progress = progress
        self.totals = totals
    }

    mutating func check(_ folder: Manifest.Folder, into report: inout VerificationReport) {
        func problem(_ kind: VerificationProblem.Kind, _ severity: VerificationProblem.Severity,
                     uid: UInt32? = nil, path: String? = nil, _ message: String) {
            report.add(VerificationProblem(kind, severity, folder: folder.name, uid: uid, path: path, message: message))
        }
        var count = 0
        var bytes = 0
        var referencedFiles = Set<String>()
        var spans: [(offset: Int, length: Int)] = []
        do {
            guard let index = try reader.indexReader(for: folder) else {
                problem(.missingFile, folder.messageCount > 0 ? .error : .warning, path: folder.indexFile,
                        "the index \(folder.indexFile) is missing")
                checkData(folder, referencedFiles: [], spans: [], problem: problem)
                return
            }
            defer { try? index.close() }
            while let entry = try index.next() {
                switch entry {
                case .corrupt(let line, let reason):
                    problem(.corruptIndex, .error, path: folder.indexFile, "line \(line) is \(reason)")
                case .record(let record, _):
                    count += 1
                    bytes += record.size
                    switch record.location {
                    case .file(let file):
                        do {
                            try CrateLayout.validateMessageFile(file, indexPath: folder.indexFile)
                        } catch {
                            problem(.unsafePath, .error, uid: record.uid, path: folder.indexFile, "\(messageOf(error))")
                            continue
                        }
                        referencedFiles.insert(file)
                    case .mbox(let offset, let length):
                        spans.append((offset, length))
                    }
                    verifyMessage(record, in: folder, problem: problem)
                }
            }
            if index.tornTail {
                problem(.tornIndex, .warning, path: folder.indexFile,
                        "the last line of \(folder.indexFile) is torn (an interrupted export); the next export cuts it")
            }
            for duplicate in index.duplicates {
                problem(.duplicateUID, .error, uid: duplicate.uid, path: folder.indexFile,
                        "UID \(duplicate.uid) (UIDVALIDITY \(duplicate.uidValidity)) appears again on line \(duplicate.line)")
            }
        } catch {
            problem(.corruptIndex, .error, path: folder.indexFile, "cannot read the index: \(messageOf(error))")
        }
        if count != folder.messageCount || bytes != folder.bytes {
            problem(.manifestMismatch, mismatchSeverity, path: Manifest.fileName,
                    "the manifest says \(folder.messageCount) messages / \(folder.bytes) bytes, the index holds "
                        + "\(count) / \(bytes)")
        }
        checkData(folder, referencedFiles: referencedFiles, spans: spans, problem: problem)
    }

    private mutating func verifyMessage(
        _ record: MessageRecord, in folder: Manifest.Folder,
        problem: (VerificationProblem.Kind, VerificationProblem.Severity, UInt32?, String?, String) -> Void
    ) {
        do {
            let source = try reader.openMessage(record, in: folder)
            defer { source.close() }
            try source.verify()
        } catch let error as CrateError where error.errno == ENOENT {
            problem(.missingFile, .error, record.uid, relative(error.path), error.message)
        } catch let error as CrateError where error.code == .unsafePath {
            problem(.unsafePath, .error, record.uid, relative(error.path), error.message)
        } catch {
            problem(.corruptData, .error, record.uid, relative((error as? CrateError)?.path), messageOf(error))
        }
        messagesChecked += 1
        bytesChecked += record.size
        progress?(VerificationProgress(
            folder: folder.name, messagesChecked: messagesChecked, bytesChecked: bytesChecked,
            totalMessages: totals.messages, totalBytes: totals.bytes))
    }

    private func checkData(
        _ folder: Manifest.Folder, referencedFiles: Set<String>, spans: [(offset: Int, length: Int)],
        problem: (VerificationProblem.Kind, VerificationProblem.Severity, UInt32?, String?, String) -> Void
    ) {
        let dataPath = root + "/" + folder.location
        do {
            switch folder.format {
            case .maildir:
                try checkMaildir(folder, dataPath: dataPath, referencedFiles: referencedFiles, problem: problem)
            case .mbox:
                try checkMbox(folder, dataPath: dataPath, spans: spans, problem: problem)
            }
        } catch {
            problem(.missingFolder, .error, nil, folder.location, "cannot inspect the folder's data: \(messageOf(error))")
        }
    }

    private func checkMaildir(
        _ folder: Manifest.Folder, dataPath: String, referencedFiles: Set<String>,
        problem: (VerificationProblem.Kind, VerificationProblem.Severity, UInt32?, String?, String) -> Void
    ) throws {
        for subdirectory in CrateLayout.maildirSubdirectories {
            let path = dataPath + "/" + subdirectory
            guard try CrateFileSystem.entryType(path) == .directory else {
                // In a partial crate, a folder registered just before the interruption may
                // not have its directories yet; the next export creates them.
                let severity = referencedFiles.isEmpty ? mismatchSeverity : .error
                problem(.missingFolder, severity, nil, folder.location + "/" + subdirectory,
                        "the Maildir directory \(folder.location)/\(subdirectory) is missing")
                continue
            }
            for name in try CrateFileSystem.listDirectory(path) {
                let relativeName = subdirectory + "/" + name
                let shown = folder.location + "/" + relativeName
                if subdirectory == "tmp" {
                    problem(.leftoverTemporaryFile, .warning, nil, shown,
                            "\(shown) is left over from an interrupted export; the next export removes it")
                } else if !referencedFiles.contains(relativeName) {
                    let severity: VerificationProblem.Severity = MaildirFileName.isOurs(name) ? mismatchSeverity : .error
                    problem(.extraFile, severity, nil, shown, "\(shown) is not listed in the index \(folder.indexFile)")
                }
            }
        }
    }

    private func checkMbox(
        _ folder: Manifest.Folder, dataPath: String, spans: [(offset: Int, length: Int)],
        problem: (VerificationProblem.Kind, VerificationProblem.Severity, UInt32?, String?, String) -> Void
    ) throws {
        guard try CrateFileSystem.entryType(dataPath) != nil else {
            if !spans.isEmpty {
                problem(.missingFile, .error, nil, folder.location, "the mbox file \(folder.location) is missing")
            }
            return
        }
        var end = 0
        for span in spans.sorted(by: { $0.offset < $1.offset }) {
            if span.offset == end {
                end = span.offset + span.length
            } else if span.offset + span.length <= end {
                continue  // a record sharing an earlier member (same content, older UIDVALIDITY)
            } else {
                let what = span.offset > end ? "a gap of \(span.offset - end) bytes" : "overlapping members"
                problem(.mboxLayout, .error, nil, folder.location, "\(folder.location) has \(what) at byte \(end)")
                end = span.offset + span.length
            }
        }
        let file = try CrateFile.openForReading(dataPath)
        let size = try file.size()
        try file.close()
        if size > end {
            problem(.mboxLayout, mismatchSeverity, nil, folder.location,
                    "\(folder.location) has \(size - end) bytes after its last indexed message")
        }
    }

    private func relative(_ path: String?) -> String? {
        guard let path else { return nil }
        return path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
    }
}

func messageOf(_ error: any Error) -> String {
    (error as? CrateError)?.message ?? "\(error)"
}
