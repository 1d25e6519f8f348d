import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import Logging

/// `imapcrate import`: APPENDs a crate into a destination account. Creates every folder
/// (empty ones and parents too), restores subscriptions, and never appends a message twice
/// however often it is interrupted and rerun.
public struct ImportJob: Sendable {
    public let crate: URL
    public let account: Account
    public let options: ImportOptions
    public let stateDirectory: URL
    public let tracker: ProgressTracker
    public let logger: Logger

    public init(crate: URL, account: Account, options: ImportOptions, stateDirectory: URL, tracker: ProgressTracker, logger: Logger) {
        self.crate = crate
        self.account = account
        self.options = options
        self.stateDirectory = stateDirectory
        self.tracker = tracker
        self.logger = logger
    }

    /// Imports the crate. With `producer`, the crate is still being written (by `copy`):
    /// passes repeat, each taking what has been committed since, until the producer is done
    /// and a last pass finds nothing new.
    public func run(producer: ProducerState? = nil) async throws -> ImportSummary {
        let started = Date()
        let first = try CrateReader(at: crate)
        let manifest = first.manifest
        var summary = ImportSummary(
            crate: crate.path, source: "\(manifest.source.user)@\(manifest.source.host)",
            destination: account.address.url, dryRun: options.dryRun
        )
        summary.startedAt = ISO8601DateFormatter().string(from: started)
        let journal = try ImportJournal(url: journalURL(manifest))
        var appendedByFolder: [String: (Int, UInt64)] = [:]
        var isFirstPass = true
        var seen = CrateFingerprint()
        while true {
            let producing = producer?.isRunning ?? false
            // Following a crate that is still being written: a pass only when the export
            // has committed something since the last one (no sessions opened in between).
            let current = CrateFingerprint(crate)
            if !isFirstPass && producing && current == seen {
                try await Task.sleep(for: .milliseconds(100))
                continue
            }
            seen = current
            let reader = isFirstPass ? first : try CrateReader(at: crate)
            tracker.update { $0.phase = "folders" }
            // Creating folders is idempotent (ALREADYEXISTS is fine), so a drop here is retried too.
            let plan = try await options.retry.run("planning the import into \(account.address.host)", logger: logger, onRetry: { _, _, _ in
                tracker.update { $0.reconnections += 1 }
            }) {
                try await account.withSession(logger: logger) { session in
                    try await ImportPlan.make(reader: reader, session: session, mapper: options.mapper, journal: journal, create: !options.dryRun)
                }
            }
            if isFirstPass {
                summary.alreadyPresent = plan.folders.reduce(0) { $0 + $1.alreadyPresent }
                summary.folders = plan.folders
                summary.skipped += plan.skipped
            } else {
                for folder in plan.folders where !summary.folders.contains(where: { $0.source == folder.source }) {
                    summary.folders.append(folder)
                }
            }
            isFirstPass = false
            tracker.update {
                $0.phase = "messages"
                $0.messagesDone = plan.doneCount
                $0.messagesTotal = plan.messageCount
                $0.bytesDone = plan.doneBytes
                $0.bytesTotal = plan.doneBytes + plan.byteCount
            }
            guard !options.dryRun else { break }
            let outcomes = try await importFolders(reader: reader, plan: plan, journal: journal, producer: producing ? producer : nil)
            var appendedThisPass = 0
            for (name, outcome) in outcomes {
                appendedThisPass += outcome.appended
                summary.messagesAppended += outcome.appended
                summary.bytesAppended += outcome.bytes
                summary.skipped += outcome.skipped
                let previous = appendedByFolder[name] ?? (0, 0)
                appendedByFolder[name] = (previous.0 + outcome.appended, previous.1 + outcome.bytes)
                if !outcome.droppedKeywords.isEmpty {
                    summary.droppedKeywords[name] = Array(Set(summary.droppedKeywords[name] ?? []).union(outcome.droppedKeywords)).sorted()
                }
            }
            if producing { summary.messagesAppendedDuringExport += appendedThisPass }
            guard producing else { break }
        }
        if !options.dryRun {
            for index in summary.folders.indices {
                let (messages, bytes) = appendedByFolder[summary.folders[index].source] ?? (0, 0)
                summary.folders[index].messages = messages
                summary.folders[index].bytes = bytes
            }
        }
        summary.reconnections = tracker.snapshot.reconnections
        summary.seconds = Date().timeIntervalSince(started)
        if !options.dryRun && options.sendReport {
            try await sendReportIfDue(&summary, journal: journal)
        }
        tracker.update { $0.phase = "done" }
        return summary
    }

    /// One pass over the crate's selectable folders with `options.connections` sessions.
    /// With `producer`, folders its export has not finished are followed (see `FolderImporter`).
    private func importFolders(
        reader: CrateReader, plan: ImportPlan, journal: ImportJournal, producer: ProducerState?
    ) async throws -> [(String, FolderImporter.Outcome)] {
        let work = reader.folders.filter(\.selectable).compactMap { folder -> FolderWork? in
            plan.folders.first { $0.source == folder.name }.map { FolderWork(folder: folder, destination: $0.destination) }
        }
        let bytes = Dictionary(plan.folders.map { ($0.source, $0.bytes) }, uniquingKeysWith: { first, _ in first })
        let following = { (work: FolderWork) in producer?.isFollowing(work.folder.name) == true }
        // Folders still being exported first (in the export's order), then the biggest first,
        // so that no big folder is left to one connection at the end.
        let pending = work.enumerated().filter { entry in
            following(entry.element) || plan.folders.contains { $0.source == entry.element.folder.name && $0.messages > 0 }
        }.sorted { a, b in
            if following(a.element) != following(b.element) { return following(a.element) }
            return (bytes[a.element.folder.name] ?? 0, b.offset) > (bytes[b.element.folder.name] ?? 0, a.offset)
        }.map(\.element)
        guard !pending.isEmpty else { return [] }
        let pool = SessionPool<FolderWork, FolderImporter.Outcome>(
            account: account, connections: options.connections, retry: options.retry, tracker: tracker, logger: logger,
            what: "import into \(account.address.host)")
        // After a drop, the folder resumes on a new connection; the journal's open intents
        // tell which APPENDs may already have reached the server.
        return try await pool.run(pending, fresh: { FolderImporter.Outcome() }) { [options, tracker, logger] session, next, outcome in
            try await FolderImporter(
                session: session, reader: reader, folder: next.folder, destination: next.destination,
                journal: journal, options: options, producer: producer, tracker: tracker, logger: logger
            ).run(into: &outcome)
        }.map { ($0.0.folder.name, $0.1) }
    }

    /// One journal per destination account and source account, in the state directory: a
    /// crate exported again from the same source (or `copy`'s fresh working crate) is
    /// recognised message by message, so nothing is appended twice.
    private func journalURL(_ manifest: Manifest) -> URL {
        let identity = "\(manifest.source.user)@\(manifest.source.host)"
        let name = JobDirectory.url(for: identity, in: URL(fileURLWithPath: "/")).lastPathComponent
        return JobDirectory.url(for: account.address.key, in: stateDirectory)
            .appendingPathComponent("imports").appendingPathComponent("\(name).jsonl")
    }
}

/// A crate folder and the destination mailbox it goes to.
struct FolderWork: Sendable {
    var folder: Manifest.Folder
    var destination: String
}

/// Sizes and modification times of a crate's manifest and indexes: what changes when an
/// export commits. Cheap to take; equal fingerprints mean nothing new to import.
struct CrateFingerprint: Equatable {
    private var entries: [String: [Int]] = [:]

    init() {}

    init(_ crate: URL) {
        let manager = FileManager.default
        let paths = [crate.appendingPathComponent(Manifest.fileName).path]
            + ((try? manager.contentsOfDirectory(atPath: crate.appendingPathComponent("index").path)) ?? [])
                .map { crate.appendingPathComponent("index").appendingPathComponent($0).path }
        for path in paths {
            guard let attributes = try? manager.attributesOfItem(atPath: path) else { continue }
            let size = (attributes[.size] as? NSNumber)?.intValue ?? 0
            let modified = Int(((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0) * 1000)
            entries[path] = [size, modified]
        }
    }
}
