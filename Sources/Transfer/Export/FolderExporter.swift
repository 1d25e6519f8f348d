import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import Logging
import NIOCore

/// Exports one folder on one session: EXAMINE (never changes \Seen), find the UIDs the
/// crate lacks, stream them into the folder's writer, commit in batches.
struct FolderExporter {
    let session: IMAPSession
    let crate: CrateWriter
    let folder: FolderInfo
    let options: ExportOptions
    let tracker: ProgressTracker
    let logger: Logger

    /// What exporting the folder did, accumulated over every attempt of one run: an attempt
    /// cut short by a dropped connection keeps its counts, the next one adds to them.
    struct Outcome {
        var fetched = 0
        var bytes: UInt64 = 0
        var alreadyPresent = 0
        var inCrate = 0
        var failed: [ExportSummary.FailedMessage] = []
        /// False until an attempt has counted what the crate already had.
        var counted = false

        mutating func fail(_ message: ExportSummary.FailedMessage) -> Bool {
            guard !failed.contains(where: { $0.uid == message.uid }) else { return false }
            failed.append(message)
            return true
        }
    }

    func run(into outcome: inout Outcome) async throws {
        try await export(into: &outcome)
        options.producer?.finished(folder.name)
    }

    private func export(into outcome: inout Outcome) async throws {
        guard folder.selectable else {
            _ = try crate.folder(descriptor(uidValidity: nil, uidNext: nil, highestModSeq: nil))
            return
        }
        let mailbox = MailboxName(bytes: folder.wireName ?? ModifiedUTF7.encode(folder.name))
        let condStore = session.supports(.condStore)
        let selected = try await session.select(mailbox, readOnly: true, condStore: condStore)
        let writer = try crate.folder(descriptor(uidValidity: selected.uidValidity, uidNext: selected.uidNext, highestModSeq: selected.highestModSeq))
        tracker.update { $0.folder = folder.name }
        guard selected.exists > 0 else {
            outcome.inCrate = writer.messageCount
            return
        }
        let known = writer.knownUIDs
        let serverUIDs = try await IMAPUIDSearch.allUIDs(session: session, uidNext: selected.uidNext)
        let missing = serverUIDs.filter { !known.contains($0) }
        if !outcome.counted {
            // Messages stored by an earlier attempt of this run are not "already present".
            outcome.alreadyPresent = serverUIDs.count - missing.count
            outcome.counted = true
            tracker.update { $0.messagesDone += outcome.alreadyPresent }
        }

        var received = Set<UInt32>()
        do {
            try await fetch(UIDSets.batches(missing, batchSize: options.fetchBatchSize), into: writer, received: &received, outcome: &outcome)
        } catch let error as IMAPClientError where error.code == .commandFailed && RetryPolicy.isMessageRefusal(error) {
            // A refused batch: take the rest one by one to name the messages that fail.
            logger.warning("\(folder.name): the server refused a FETCH (\(error.message)); retrying message by message")
            for uid in missing where !received.contains(uid) {
                do {
                    try await fetch(["\(uid)"], into: writer, received: &received, outcome: &outcome)
                } catch let error as IMAPClientError where error.code == .commandFailed && RetryPolicy.isMessageRefusal(error) {
                    if outcome.fail(.init(folder: folder.name, uid: uid, reason: error.response?.text ?? error.message)) {
                        tracker.update { $0.failedMessages += 1 }
                    }
                }
            }
        }
        try await accountForUnanswered(missing, into: writer, received: &received, outcome: &outcome)
        try await commit(writer)
        writer.releaseBuffers()
        outcome.inCrate = writer.messageCount
    }

    /// UIDs that were asked for but never came back: gone from the server since the search
    /// (expunged, nothing to keep), or withheld (asked for once more, alone, then named as
    /// failed so that the run ends with status 111 and a rerun tries again).
    private func accountForUnanswered(_ requested: [UInt32], into writer: FolderWriter, received: inout Set<UInt32>, outcome: inout Outcome) async throws {
        let unanswered = requested.filter { uid in !received.contains(uid) && !outcome.failed.contains { $0.uid == uid } }
        guard !unanswered.isEmpty else { return }
        var stillThere = Set<UInt32>()
        for set in UIDSets.batches(unanswered, batchSize: options.fetchBatchSize) {
            stillThere.formUnion(try await session.uidSearch("UID \(set)"))
        }
        let expunged = unanswered.count - unanswered.filter(stillThere.contains).count
        if expunged > 0 { logger.info("\(folder.name): \(expunged) messages were expunged at the source during the export") }
        for uid in unanswered where stillThere.contains(uid) {
            var reason = "the server returned no data for this message"
            do {
                try await fetch(["\(uid)"], into: writer, received: &received, outcome: &outcome)
            } catch let error as IMAPClientError where error.code == .commandFailed && RetryPolicy.isMessageRefusal(error) {
                reason = error.response?.text ?? error.message
            }
            if !received.contains(uid), outcome.fail(.init(folder: folder.name, uid: uid, reason: reason)) {
                tracker.update { $0.failedMessages += 1 }
            }
        }
    }

    private func fetch(_ sets: [String], into writer: FolderWriter, received: inout Set<UInt32>, outcome: inout Outcome) async throws {
        guard !sets.isEmpty else { return }
        let known = writer.knownUIDs
        try await IMAPMessageReader(session: session).read(sets) { info, body in
            // `UID FETCH n:*` style answers and unsolicited FETCHes may repeat what is stored.
            guard !known.contains(info.uid), !received.contains(info.uid) else { return }
            let date = MessageDate(info.internalDate)
            let sink = try writer.beginMessage(
                uid: info.uid, flags: info.flags, internalDate: date.text, internalDateUnix: date.unix, expectedSize: info.size
            )
            do {
                while let chunk = try await body.next() {
                    try chunk.withUnsafeReadableBytes { try sink.write($0) }
                }
                FaultInjection.step("export: message bytes written, UID \(info.uid)")
                _ = try sink.finish()
                FaultInjection.step("export: message finished, UID \(info.uid)")
            } catch {
                sink.abort()
                throw error
            }
            received.insert(info.uid)
            outcome.fetched += 1
            outcome.bytes += UInt64(info.size)
            tracker.update {
                $0.messagesDone += 1
                $0.bytesDone += UInt64(info.size)
            }
            try await options.rateLimiter.pace(byteCount: info.size)
            if writer.pendingCount >= options.commitEveryMessages || writer.pendingByteCount >= options.commitEveryBytes {
                try await commit(writer)
                FaultInjection.step("export: commit")
            }
        }
    }

    /// Makes the folder's stored messages durable (off the cooperative threads: the flush can
    /// take a while on a busy disk) and tells a following import.
    private func commit(_ writer: FolderWriter) async throws {
        try await BlockingWork.run { try writer.commit() }
        options.producer?.committed(folder.name)
    }

    private func descriptor(uidValidity: UInt32?, uidNext: UInt32?, highestModSeq: UInt64?) -> FolderDescriptor {
        FolderDescriptor(
            name: folder.name, pathComponents: folder.components, separator: folder.separator.map(String.init),
            specialUse: folder.specialUse, subscribed: folder.subscribed, selectable: folder.selectable,
            uidValidity: uidValidity, uidNext: uidNext, highestModSeq: highestModSeq
        )
    }
}

/// An INTERNALDATE as the crate stores it: text and Unix seconds. A date the server did not
/// send or sent unreadably is kept as text when there is any, with the Unix time 0.
struct MessageDate {
    var text: String
    var unix: Int64

    init(_ text: String?) {
        if let text, let parsed = try? InternalDate(parsing: text) {
            self.text = parsed.imapString
            self.unix = Int64(parsed.date.timeIntervalSince1970)
        } else {
            self.text = text ?? ""
            self.unix = 0
        }
    }
}
