import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import NIOCore

extension FolderImporter {
    /// A message checked against its index entry and ready to send.
    struct Prepared {
        var item: Item
        var header: AppendMessageHeader
        /// The bytes, for messages up to `inMemoryLimit`; larger ones are streamed from the crate.
        var bytes: ByteBuffer?
    }

    static let inMemoryLimit = 256 << 10

    /// Journals the batch's intents, then verifies and APPENDs each message with pipelining,
    /// and journals the results. A message's bytes are read just before it is sent and let go
    /// once written, so memory holds at most the messages in flight, not the batch.
    func send(_ batch: [Item], selected: inout SelectedMailbox, appendLimit: Int?, outcome: inout Outcome) async throws {
        var candidates: [Item] = []
        for item in batch {
            if let appendLimit, item.record.size > appendLimit {
                skip(item, "larger than the destination accepts (APPENDLIMIT \(appendLimit) bytes)", outcome: &outcome)
            } else {
                candidates.append(item)
            }
        }
        guard !candidates.isEmpty else { return }
        for item in candidates {
            journal.recordIntent(item.key, mailbox: destination, uidValidity: selected.uidValidity, uidNext: selected.uidNext)
        }
        try journal.sync()
        FaultInjection.step("import: intents synced")

        var inFlight: [(Prepared, String)] = []
        var highestUID: UInt32?
        for item in candidates {
            var prepared: Prepared
            do {
                prepared = try prepare(item, selected: selected, outcome: &outcome)
            } catch let error as CrateError where error.code == .unsafePath || error.code == .limitExceeded {
                // Not wear and tear but a tampered crate (a path out of it, a gzip bomb):
                // nothing more is taken from it.
                throw TransferError(.crateInvalid, "refusing the crate: \(error.message)", cause: error)
            } catch let error as CrateError {
                // Its intent stays open; the next run finds it absent and tries again.
                skip(item, "damaged in the crate: \(error.message)", outcome: &outcome)
                continue
            }
            try await options.rateLimiter.pace(byteCount: item.record.size)
            let tag = try await transmit(prepared)
            prepared.bytes = nil
            inFlight.append((prepared, tag))
            FaultInjection.step("import: APPEND sent, UID \(item.record.uid)")
            if inFlight.count >= options.pipelineDepth {
                let (done, tag) = inFlight.removeFirst()
                try await complete(done, tag: tag, highestUID: &highestUID, outcome: &outcome)
            }
        }
        while !inFlight.isEmpty {
            let (done, tag) = inFlight.removeFirst()
            try await complete(done, tag: tag, highestUID: &highestUID, outcome: &outcome)
        }
        try journal.sync()
        FaultInjection.step("import: results synced")
        if let highestUID {
            selected.uidNext = highestUID &+ 1
        } else {
            selected.uidNext = try await session.status(mailbox, [.uidNext]).values[.uidNext].map { UInt32($0) } ?? selected.uidNext
        }
    }

    private func prepare(_ item: Item, selected: SelectedMailbox, outcome: inout Outcome) throws -> Prepared {
        let source = try reader.openMessage(item.record, in: folder)
        defer { source.close() }
        var bytes: ByteBuffer?
        if item.record.size <= Self.inMemoryLimit {
            bytes = ByteBuffer(bytes: try source.readAll())
        } else {
            try source.verify()
        }
        var flags: [Flag] = []
        for raw in item.record.flags {
            let flag = Flag(raw)
            guard flag != .recent else { continue }
            let allowed = flag.isStorable && (flag.isSystemFlag || selected.acceptsNewKeywords || (selected.permanentFlags ?? []).contains(flag))
            if allowed {
                flags.append(flag)
            } else {
                outcome.droppedKeywords.insert(raw)
            }
        }
        let date = try? InternalDate(parsing: item.record.internalDate)
        return Prepared(item: item, header: AppendMessageHeader(flags: flags, internalDate: date, byteCount: item.record.size), bytes: bytes)
    }

    /// Writes one APPEND; returns its tag. Large bodies stream from the crate in 64 KiB chunks.
    private func transmit(_ prepared: Prepared) async throws -> String {
        let command = try await session.beginAppend(to: mailbox)
        if try await command.beginMessage(prepared.header) {
            if let bytes = prepared.bytes {
                try await command.write(bytes)
            } else {
                let source = try reader.openMessage(prepared.item.record, in: folder)
                defer { source.close() }
                while let chunk = try source.nextChunk() {
                    try await command.write(ByteBuffer(bytes: chunk))
                }
            }
        }
        return try await command.finish()
    }

    private func complete(_ prepared: Prepared, tag: String, highestUID: inout UInt32?, outcome: inout Outcome) async throws {
        let item = prepared.item
        do {
            let response = try await session.complete(tag)
            var uid: UInt32?
            if case .appendUID(_, let uids)? = response.code, let range = uids.last {
                uid = range.upperBound
                highestUID = max(highestUID ?? 0, range.upperBound)
            }
            FaultInjection.step("import: APPEND confirmed, UID \(item.record.uid)")
            journal.recordDone(item.key, uid: uid)
            outcome.appended += 1
            outcome.bytes += UInt64(item.record.size)
            tracker.update {
                $0.messagesDone += 1
                $0.bytesDone += UInt64(item.record.size)
            }
        } catch let error as IMAPClientError where (error.code == .commandFailed || error.code == .commandRejected)
            && RetryPolicy.isMessageRefusal(error) {
            switch error.responseCode {
            case .overQuota?:
                throw TransferError(.overQuota, "the destination mailbox is full (OVERQUOTA) while importing \(folder.name): \(error.response?.text ?? "")")
            case .tryCreate?:
                try await session.create(mailbox)
                try await complete(prepared, tag: try await transmit(prepared), highestUID: &highestUID, outcome: &outcome)
            case .tooBig?:
                skip(item, "too big for the destination server (TOOBIG)", outcome: &outcome)
            default:
                skip(item, "refused by the destination: \(error.response?.text ?? error.message)", outcome: &outcome)
            }
        }
    }

    func skip(_ item: Item, _ reason: String, outcome: inout Outcome) {
        // A retried attempt meets the same damaged message again: name it once.
        guard !outcome.skipped.contains(where: { $0.uid == item.record.uid && $0.folder == folder.name }) else { return }
        outcome.skipped.append(.init(folder: folder.name, uid: item.record.uid, size: item.record.size, reason: reason))
        tracker.update { $0.failedMessages += 1 }
        logger.warning("\(folder.name) UID \(item.record.uid) skipped: \(reason)")
    }
}
