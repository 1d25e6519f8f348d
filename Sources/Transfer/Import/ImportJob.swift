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

    public func run() async throws -> ImportSummary {
        let started = Date()
        let reader = try CrateReader(at: crate)
        let manifest = reader.manifest
        var summary = ImportSummary(
            crate: crate.path, source: "\(manifest.source.user)@\(manifest.source.host)",
            destination: account.address.url, dryRun: options.dryRun
        )
        summary.startedAt = ISO8601DateFormatter().string(from: started)
        let journal = try ImportJournal(url: journalURL(manifest))
        tracker.update { $0.phase = "folders" }

        let plan = try await account.withSession(logger: logger) { session in
            try await ImportPlan.make(reader: reader, session: session, mapper: options.mapper, journal: journal, create: !options.dryRun)
        }
        summary.folders = plan.folders
        tracker.update {
            $0.phase = "messages"
            $0.messagesTotal = plan.messageCount
            $0.bytesTotal = plan.byteCount
        }
        guard !options.dryRun else {
            summary.alreadyPresent = plan.folders.reduce(0) { $0 + $1.alreadyPresent }
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        }

        let work = manifest.folders.filter(\.selectable).compactMap { folder -> (Manifest.Folder, String)? in
            plan.folders.first { $0.source == folder.name }.map { (folder, $0.destination) }
        }
        let queue = WorkQueue(work.map { FolderWork(folder: $0.0, destination: $0.1) })
        let workers = max(1, min(options.connections, work.count))
        let outcomes = try await withThrowingTaskGroup(of: [(String, FolderImporter.Outcome)].self) { group in
            for _ in 0..<workers {
                group.addTask {
                    try await account.withSession(logger: logger) { session in
                        var outcomes: [(String, FolderImporter.Outcome)] = []
                        while let next = await queue.next() {
                            let importer = FolderImporter(
                                session: session, reader: reader, folder: next.folder, destination: next.destination,
                                journal: journal, options: options, tracker: tracker, logger: logger)
                            outcomes.append((next.folder.name, try await importer.run()))
                        }
                        return outcomes
                    }
                }
            }
            var all: [(String, FolderImporter.Outcome)] = []
            for try await outcomes in group { all += outcomes }
            return all
        }
        for (name, outcome) in outcomes {
            summary.messagesAppended += outcome.appended
            summary.bytesAppended += outcome.bytes
            summary.alreadyPresent += outcome.alreadyPresent
            summary.skipped += outcome.skipped
            if !outcome.droppedKeywords.isEmpty { summary.droppedKeywords[name] = outcome.droppedKeywords.sorted() }
            if let index = summary.folders.firstIndex(where: { $0.source == name }) {
                summary.folders[index].alreadyPresent = outcome.alreadyPresent
            }
        }
        summary.seconds = Date().timeIntervalSince(started)
        let changed = summary.messagesAppended > 0 || summary.folders.contains(where: \.created) || !summary.skipped.isEmpty
        if options.sendReport && (changed || !journal.reportSent) {
            tracker.update { $0.phase = "report" }
            let report = CompletionReport(summary: summary, finishedAt: Date())
            try await account.withSession(logger: logger) { session in
                try await session.append(to: .inbox, flags: [], internalDate: nil, message: report.message())
            }
            journal.recordReport()
            try journal.sync()
            summary.reportSent = true
        }
        tracker.update { $0.phase = "done" }
        return summary
    }

    /// One journal per destination account and crate, in the state directory.
    private func journalURL(_ manifest: Manifest) -> URL {
        let identity = "\(manifest.source.user)@\(manifest.source.host) \(ISO8601DateFormatter().string(from: manifest.created))"
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
