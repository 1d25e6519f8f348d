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

    /// One APPEND command in flight: its tag and the messages it carries, in order.
    struct SentGroup {
        var tag: String
        var items: [Item]
    }

    /// APPENDs `items` as a stream of pipelined commands, MULTIAPPEND groups (RFC 3502) when
    /// the server has it, one message each otherwise.
    ///
    /// Durability: intents are journaled and fsynced `batchSize` messages ahead of what is
    /// sent, so no APPEND ever leaves before its intent is on disk; results are journaled as
    /// the tagged answers arrive and fsynced every `batchSize` results and at the end. The
    /// connection never drains between batches: the next intents are written while earlier
    /// APPENDs are still in flight. A message's bytes are read just before it is sent and let
    /// go once written, so memory holds the messages being written, not the folder.
    func send(_ items: [Item], selected: inout SelectedMailbox, appendLimit: Int?, outcome: inout Outcome) async throws {
        var candidates: [Item] = []
        for item in items {
            if let appendLimit, item.record.size > appendLimit {
                skip(item, "larger than the destination accepts (APPENDLIMIT \(appendLimit) bytes)", outcome: &outcome)
            } else {
                candidates.append(item)
            }
        }
        var intended = 0
        var inFlight: [SentGroup] = []
        var inFlightMessages = 0
        var unsynced = 0
        var next = 0
        while next < candidates.count {
            let group = groupEnd(candidates, from: next)
            while intended < group {
                // The next window of intents, made durable before any of its APPENDs leaves.
                let window = candidates[intended..<min(intended + options.batchSize, candidates.count)]
                for item in window {
                    journal.recordIntent(item.key, mailbox: destination, uidValidity: selected.uidValidity, uidNext: selected.uidNext)
                }
                try await journal.sync()
                intended += window.count
                FaultInjection.step("import: intents synced")
            }
            let messages = Array(candidates[next..<group])
            next = group
            while !inFlight.isEmpty && inFlightMessages + messages.count > options.pipelineDepth {
                let done = inFlight.removeFirst()
                inFlightMessages -= done.items.count
                unsynced += try await complete(done, selected: &selected, outcome: &outcome)
            }
            guard let sent = try await transmit(messages, selected: selected, outcome: &outcome) else { continue }
            inFlight.append(sent)
            inFlightMessages += sent.items.count
            if unsynced >= options.batchSize {
                try await journal.sync()
                unsynced = 0
                FaultInjection.step("import: results synced")
            }
        }
        for done in inFlight {
            _ = try await complete(done, selected: &selected, outcome: &outcome)
        }
        try await journal.sync()
        FaultInjection.step("import: results synced")
    }

    /// The end of the next APPEND group starting at `start`: up to `appendGroupSize` messages
    /// and `appendGroupBytes` bytes (a bigger message goes alone), one without MULTIAPPEND.
    private func groupEnd(_ items: [Item], from start: Int) -> Int {
        guard session.supports(.multiAppend) else { return start + 1 }
        var end = start + 1
        var bytes = items[start].record.size
        while end < items.count && end - start < options.appendGroupSize && bytes + items[end].record.size <= options.appendGroupBytes {
            bytes += items[end].record.size
            end += 1
        }
        return end
    }

    /// Reads and checks one message; a damaged one is skipped (its intent stays open and the
    /// next run tries again), a tampered crate ends the import.
    private func prepareOrSkip(_ item: Item, selected: SelectedMailbox, outcome: inout Outcome) throws -> Prepared? {
        do {
            return try prepare(item, selected: selected, outcome: &outcome)
        } catch let error as CrateError where error.code == .unsafePath || error.code == .limitExceeded {
            // Not wear and tear but a tampered crate (a path out of it, a gzip bomb):
            // nothing more is taken from it.
            throw TransferError(.crateInvalid, "refusing the crate: \(error.message)", cause: error)
        } catch let error as CrateError {
            skip(item, "damaged in the crate: \(error.message)", outcome: &outcome)
            return nil
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

    /// Writes one APPEND command carrying `items`, each read from the crate just before it is
    /// written: small bodies are let go once written, large ones stream in 64 KiB chunks. A
    /// damaged message is skipped; nil when none of them could be read.
    private func transmit(_ items: [Item], selected: SelectedMailbox, outcome: inout Outcome) async throws -> SentGroup? {
        var command: AppendCommand?
        var carried: [Item] = []
        for (index, item) in items.enumerated() {
            guard let prepared = try prepareOrSkip(item, selected: selected, outcome: &outcome) else { continue }
            let append: AppendCommand
            if let command {
                append = command
            } else {
                append = try await session.beginAppend(to: mailbox)
                command = append
            }
            try await options.rateLimiter.pace(byteCount: item.record.size)
            guard try await append.beginMessage(prepared.header) else {
                // Refused before the literal (synchronising literals only): the tagged NO
                // that follows answers for this message and the ones not sent after it.
                carried += items[index...]
                break
            }
            if let bytes = prepared.bytes {
                try await append.write(bytes)
            } else {
                let source = try reader.openMessage(item.record, in: folder)
                defer { source.close() }
                while let chunk = try source.nextChunk() {
                    try await append.write(ByteBuffer(bytes: chunk))
                }
            }
            carried.append(item)
            FaultInjection.step("import: APPEND sent, UID \(item.record.uid)")
        }
        guard let command else { return nil }
        return SentGroup(tag: try await command.finish(), items: carried)
    }

    /// Awaits one command's tagged answer and journals its messages; returns how many results
    /// it journaled. A refused group of several messages is sent again one by one, so that
    /// only the message the server refuses is skipped.
    private func complete(_ group: SentGroup, selected: inout SelectedMailbox, outcome: inout Outcome) async throws -> Int {
        do {
            let response = try await session.complete(group.tag)
            var uids: [UInt32?] = Array(repeating: nil, count: group.items.count)
            if case .appendUID(_, let ranges)? = response.code {
                let assigned = ranges.flatMap { Array($0.uids) }
                if assigned.count == group.items.count { uids = assigned }
                if let highest = assigned.max() { selected.uidNext = max(selected.uidNext ?? 0, highest &+ 1) }
            }
            for (item, uid) in zip(group.items, uids) {
                FaultInjection.step("import: APPEND confirmed, UID \(item.record.uid)")
                journal.recordDone(item.key, uid: uid)
                outcome.appended += 1
                outcome.bytes += UInt64(item.record.size)
                tracker.update {
                    $0.messagesDone += 1
                    $0.bytesDone += UInt64(item.record.size)
                }
            }
            return group.items.count
        } catch let error as IMAPClientError where (error.code == .commandFailed || error.code == .commandRejected)
            && RetryPolicy.isMessageRefusal(error) {
            if error.responseCode == .overQuota {
                throw TransferError(.overQuota, "the destination mailbox is full (OVERQUOTA) while importing \(folder.name): \(error.response?.text ?? "")")
            }
            if error.responseCode == .tryCreate {
                try await session.create(mailbox)
                return try await resend([group.items], selected: &selected, outcome: &outcome)
            }
            if group.items.count > 1 {
                // MULTIAPPEND is all or nothing (RFC 3502 §6.3.11): find the culprit alone.
                return try await resend(group.items.map { [$0] }, selected: &selected, outcome: &outcome)
            }
            guard let item = group.items.first else { return 0 }
            if error.responseCode == .tooBig {
                skip(item, "too big for the destination server (TOOBIG)", outcome: &outcome)
            } else {
                skip(item, "refused by the destination: \(error.response?.text ?? error.message)", outcome: &outcome)
            }
            return 0
        }
    }

    /// Sends messages again after a refusal, each group answered before the next is sent.
    private func resend(_ groups: [[Item]], selected: inout SelectedMailbox, outcome: inout Outcome) async throws -> Int {
        var results = 0
        for items in groups {
            guard let sent = try await transmit(items, selected: selected, outcome: &outcome) else { continue }
            results += try await complete(sent, selected: &selected, outcome: &outcome)
        }
        return results
    }

    func skip(_ item: Item, _ reason: String, outcome: inout Outcome) {
        // A retried attempt meets the same damaged message again: name it once.
        guard !outcome.skipped.contains(where: { $0.uid == item.record.uid && $0.folder == folder.name }) else { return }
        outcome.skipped.append(.init(folder: folder.name, uid: item.record.uid, size: item.record.size, reason: reason))
        tracker.update { $0.failedMessages += 1 }
        logger.warning("\(folder.name) UID \(item.record.uid) skipped: \(reason)")
    }
}
