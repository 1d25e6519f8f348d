import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import Logging

/// `imapcrate export`: streams an IMAP account into a crate. Rerunning it on the same crate
/// fetches only what the crate lacks; an interrupted run leaves a crate the next run repairs.
public struct ExportJob: Sendable {
    public let account: Account
    public let crate: URL
    public let options: ExportOptions
    public let tracker: ProgressTracker
    public let logger: Logger

    public init(account: Account, crate: URL, options: ExportOptions, tracker: ProgressTracker, logger: Logger) {
        self.account = account
        self.crate = crate
        self.options = options
        self.tracker = tracker
        self.logger = logger
    }

    public func run() async throws -> ExportSummary {
        let started = Date()
        tracker.update { $0.phase = "listing" }
        let plan = try await options.retry.run("listing \(account.address.host)", logger: logger, onRetry: { _, _, _ in
            tracker.update { $0.reconnections += 1 }
        }) {
            try await account.withSession(logger: logger) { session in
                try await ExportPlan.make(session: session, filter: options.filter)
            }
        }
        let writer = try CrateWriter.open(
            at: crate, format: options.format, compression: options.compression,
            source: SourceInfo(host: account.address.host, user: account.address.user, capabilities: plan.capabilities,
                               separator: plan.separator.map(String.init)),
            toolVersion: ToolVersion.current
        )
        tracker.update {
            $0.phase = "messages"
            $0.messagesTotal = plan.messages
            $0.bytesTotal = plan.bytes
        }
        var summary = ExportSummary(crate: crate.path, account: account.address.url)
        summary.folders = plan.folders.count
        let pool = SessionPool<FolderInfo, FolderExporter.Outcome>(
            account: account, connections: options.connections, retry: options.retry, tracker: tracker, logger: logger,
            what: "export from \(account.address.host)")
        let outcomes = try await pool.run(plan.largestFirst, fresh: { FolderExporter.Outcome() }) { [options, tracker, logger] session, folder, outcome in
            try await FolderExporter(session: session, crate: writer, folder: folder, options: options, tracker: tracker, logger: logger)
                .run(into: &outcome)
        }.map(\.1)
        for outcome in outcomes {
            summary.messagesFetched += outcome.fetched
            summary.bytesFetched += outcome.bytes
            summary.messagesAlreadyPresent += outcome.alreadyPresent
            summary.messagesInCrate += outcome.inCrate
            summary.failed += outcome.failed
        }
        summary.reconnections = tracker.snapshot.reconnections
        try writer.finish(state: summary.failed.isEmpty ? .complete : .partial)
        summary.seconds = Date().timeIntervalSince(started)
        tracker.update { $0.phase = "done" }
        return summary
    }
}

/// What the source holds, found before any message moves.
struct ExportPlan {
    var folders: [FolderInfo]
    var capabilities: [String]
    var separator: Character?
    var messages = 0
    var bytes: UInt64 = 0

    static func make(session: IMAPSession, filter: FolderFilter) async throws -> ExportPlan {
        let listing = try await session.listAll()
        let prefix = try await session.namespace()?.personal.first?.prefix.displayName ?? ""
        let folders = filter.apply(to: IMAPFolderListing.removingNamespacePrefix(prefix, from: IMAPFolderListing.folders(from: listing)))
        var plan = ExportPlan(
            folders: folders,
            capabilities: session.capabilities.map(\.rawValue).sorted(),
            separator: folders.lazy.compactMap(\.separator).first
        )
        let attributes: [StatusAttribute] = session.supports(Capability("STATUS=SIZE")) ? [.messages, .size] : [.messages]
        for index in plan.folders.indices where plan.folders[index].selectable {
            let folder = plan.folders[index]
            let mailbox = MailboxName(bytes: folder.wireName ?? ModifiedUTF7.encode(folder.name))
            let status = try await session.status(mailbox, attributes)
            plan.folders[index].messageCount = Int(status.values[.messages] ?? 0)
            plan.folders[index].bytes = status.values[.size] ?? 0
            plan.messages += plan.folders[index].messageCount
            plan.bytes += plan.folders[index].bytes
        }
        return plan
    }

    /// The folders in the order the connections take them: the biggest first (by size when
    /// the server has STATUS=SIZE, else by message count), so that no big folder is left to
    /// one connection at the end while the others, and the other cores, sit idle.
    var largestFirst: [FolderInfo] {
        folders.enumerated().sorted { a, b in
            (a.element.bytes, a.element.messageCount, b.offset) > (b.element.bytes, b.element.messageCount, a.offset)
        }.map(\.element)
    }
}
