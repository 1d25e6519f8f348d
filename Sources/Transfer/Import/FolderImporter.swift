import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import Logging
import NIOCore

/// Imports one crate folder into its destination mailbox on one session: resolves what an
/// interrupted run left in doubt, then APPENDs what the journal does not list as done, in
/// journaled, pipelined MULTIAPPEND groups.
struct FolderImporter {
    let session: IMAPSession
    let reader: CrateReader
    let folder: Manifest.Folder
    let destination: String
    let journal: ImportJournal
    let options: ImportOptions
    /// Set when `copy`'s export is still writing the crate: the folder is followed, its
    /// records appended as they are committed, until its export is over.
    let producer: ProducerState?
    let tracker: ProgressTracker
    let logger: Logger

    /// What importing the folder did, accumulated over every attempt of one pass: an attempt
    /// cut short by a dropped connection keeps its counts, the next one adds to them.
    struct Outcome {
        var appended = 0
        var bytes: UInt64 = 0
        var alreadyPresent = 0
        var skipped: [ImportSummary.Skipped] = []
        var droppedKeywords: Set<String> = []
        /// False until an attempt has counted what the destination already had.
        var counted = false
    }

    /// One message to send, with its journal key.
    struct Item {
        var record: MessageRecord
        var key: ImportJournal.Key
    }

    var mailbox: MailboxName { MailboxName(displayName: destination) }

    /// Gives a folder's records, in index order, their journal keys: identical bytes are told
    /// apart by occurrence (the n-th copy in the folder).
    struct KeyNumbering {
        let folder: String
        private var occurrences: [String: Int] = [:]

        init(folder: String) { self.folder = folder }

        mutating func item(_ record: MessageRecord) -> Item {
            let hash = record.sha256.lowercased()
            let occurrence = occurrences[hash, default: 0]
            occurrences[hash] = occurrence + 1
            return Item(record: record, key: ImportJournal.Key(folder: folder, sha256: hash, occurrence: occurrence))
        }
    }

    /// The crate's current messages of this folder with their journal keys.
    static func items(reader: CrateReader, folder: Manifest.Folder) throws -> [Item] {
        var numbering = KeyNumbering(folder: folder.name)
        return try reader.records(in: folder, selection: .current).map { numbering.item($0) }
    }

    func run(into outcome: inout Outcome) async throws {
        if let producer, producer.isFollowing(folder.name) {
            try await follow(producer, outcome: &outcome)
        }
        try await importCommitted(into: &outcome)
    }

    /// Appends the folder's records as its export commits them, on this one session, until
    /// the export of the folder is over. Only records of the folder's current UIDVALIDITY
    /// are taken here, numbered as `items` numbers them; `importCommitted` then settles the
    /// rest against the whole index.
    private func follow(_ producer: ProducerState, outcome: inout Outcome) async throws {
        var selected = try await selectCreating()
        try await resolvePending({ try Self.items(reader: reader, folder: folder) }, selected: selected, outcome: &outcome)
        let counting = !outcome.counted
        if counting { outcome.alreadyPresent = 0 }
        let follower = reader.follow(folder)
        var numbering = KeyNumbering(folder: folder.name)
        tracker.update { $0.folder = folder.name }
        while true {
            let commits = producer.commitCount(folder.name)
            let following = producer.isFollowing(folder.name)
            var batch: [Item] = []
            while let record = try follower.next() {
                guard record.uidValidity == folder.uidValidity else { continue }
                let item = numbering.item(record)
                if !journal.isDone(item.key) {
                    batch.append(item)
                } else if counting && !journal.isIntendedInThisRun(item.key) {
                    outcome.alreadyPresent += 1
                }
            }
            if !batch.isEmpty {
                try await send(batch, selected: &selected, appendLimit: appendLimit, outcome: &outcome)
            }
            guard following else { break }
            try await producer.waitForCommit(folder.name, after: commits)
        }
        outcome.counted = true
    }

    /// The destination's APPENDLIMIT (RFC 7889), when it announces one.
    var appendLimit: Int? {
        session.capabilities.lazy.compactMap { capability -> Int? in
            let text = capability.rawValue.uppercased()
            return text.hasPrefix("APPENDLIMIT=") ? Int(text.dropFirst(12)) : nil
        }.first
    }

    /// Imports the folder's committed records (`.current`) that the journal lacks.
    private func importCommitted(into outcome: inout Outcome) async throws {
        let all = try Self.items(reader: reader, folder: folder)
        guard all.contains(where: { !journal.isDone($0.key) }) else {
            if !outcome.counted { outcome.alreadyPresent = all.count }
            return
        }
        var selected = try await selectCreating()
        try await resolvePending({ all }, selected: selected, outcome: &outcome)
        let todo = all.filter { !journal.isDone($0.key) }
        if !outcome.counted {
            // Messages appended by an earlier attempt of this pass are not "already present".
            outcome.alreadyPresent = all.count - todo.count
            outcome.counted = true
        }
        tracker.update { $0.folder = folder.name }
        try await send(todo, selected: &selected, appendLimit: appendLimit, outcome: &outcome)
    }

    /// SELECT the destination (read-write, for PERMANENTFLAGS and UIDNEXT), creating it if needed.
    private func selectCreating() async throws -> SelectedMailbox {
        do {
            return try await session.select(mailbox, readOnly: false)
        } catch let error as IMAPClientError where error.code == .commandFailed {
            try await session.create(mailbox)
            return try await session.select(mailbox, readOnly: false)
        }
    }

    /// Intents of an interrupted run: the APPEND may have reached the server. Every message
    /// that arrived since the intent's UIDNEXT is hashed; a match means the message is there.
    private func resolvePending(_ allItems: () throws -> [Item], selected: SelectedMailbox, outcome: inout Outcome) async throws {
        let pending = journal.pending.filter { $0.key.folder == folder.name }
        guard !pending.isEmpty else { return }
        let items = try allItems()
        let sameMailbox = pending.filter { $0.uidValidity == selected.uidValidity && $0.uidValidity != nil }
        guard let since = sameMailbox.compactMap(\.uidNext).min(), selected.exists > 0 else { return }
        var arrived: [String: Int] = [:]
        try await IMAPMessageReader(session: session).read(["\(since):*"]) { info, body in
            guard info.uid >= since else { return }
            var hash = CRLFHash()
            while let chunk = try await body.next() {
                chunk.withUnsafeReadableBytes { hash.update($0) }
            }
            arrived[hash.finalize(), default: 0] += 1
        }
        let byKey = Dictionary(items.map { ($0.key, $0.record) }, uniquingKeysWith: { first, _ in first })
        for intent in sameMailbox.sorted(by: { $0.key.occurrence < $1.key.occurrence }) {
            guard let record = byKey[intent.key], let hash = try? normalizedHash(record), let count = arrived[hash], count > 0 else { continue }
            arrived[hash] = count - 1
            journal.recordDone(intent.key, uid: nil)
            logger.info("\(folder.name): UID \(record.uid) was appended before the interruption; not sending it again")
            if journal.isIntendedInThisRun(intent.key) {
                // Appended by this run before its connection dropped: it counts as appended.
                outcome.appended += 1
                outcome.bytes += UInt64(record.size)
                tracker.update {
                    $0.messagesDone += 1
                    $0.bytesDone += UInt64(record.size)
                }
            }
        }
        try await journal.sync()
    }

    private func normalizedHash(_ record: MessageRecord) throws -> String {
        let source = try reader.openMessage(record, in: folder)
        defer { source.close() }
        var hash = CRLFHash()
        while let chunk = try source.nextChunk() {
            chunk.withUnsafeBytes { hash.update($0) }
        }
        return hash.finalize()
    }
}
