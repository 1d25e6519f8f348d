import Foundation

/// What an import has done at one destination, so that a rerun or a resume after `kill -9`
/// never appends a message twice. Append-only JSON Lines in the state directory:
///
/// ```
/// {"kind":"intent","folder":"INBOX","sha256":"9f…","occurrence":0,"mailbox":"INBOX","uidValidity":17,"uidNext":120}
/// {"kind":"done","folder":"INBOX","sha256":"9f…","occurrence":0,"uid":120}
/// ```
/// An `intent` is made durable before the APPEND is sent, the `done` after the server's OK.
/// An intent without its done is resolved on the next run by looking at the destination.
/// The completion report is journaled the same way: `report-intent` with its Message-ID before
/// the APPEND, `report` after; `done` lines after the last `report` are what the next report
/// covers.
/// A message is identified by folder, SHA-256 and occurrence (the n-th copy of identical
/// bytes in that folder), so a crate re-exported under a new UIDVALIDITY still matches.
public final class ImportJournal: @unchecked Sendable {
    public struct Key: Hashable, Sendable, Codable {
        public var folder: String
        public var sha256: String
        public var occurrence: Int
    }

    struct Entry: Codable {
        var kind: String
        var folder: String?
        var sha256: String?
        var occurrence: Int?
        var mailbox: String?
        var uidValidity: UInt32?
        var uidNext: UInt32?
        var uid: UInt32?
        var at: Date?
        /// The completion report's Message-ID (`report-intent`).
        var messageID: String?

        var key: Key? {
            guard let folder, let sha256, let occurrence else { return nil }
            return Key(folder: folder, sha256: sha256, occurrence: occurrence)
        }
    }

    /// An intent whose outcome is unknown: the APPEND may or may not have happened.
    public struct Pending: Sendable {
        public var key: Key
        public var mailbox: String
        public var uidValidity: UInt32?
        public var uidNext: UInt32?
    }

    public let url: URL
    private let lock = NSLock()
    private var descriptor: Int32
    private var done: Set<Key> = []
    private var intents: [Key: Pending] = [:]
    /// Keys whose intent this process recorded (not loaded from an earlier run).
    private var intendedHere: Set<Key> = []
    private var buffered = Data()
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()
    /// Counts the writes of buffered lines, and the last of them an fsync has covered.
    private var writtenGeneration = 0
    private var syncedGeneration = 0
    private let syncQueue = DispatchQueue(label: "imapcrate.import-journal.fsync")
    private var unreported: Set<Key> = []
    private var reportIntent: String?
    public private(set) var reportSent = false

    /// Opens (or creates) the journal; a torn last line from a crash is ignored.
    public init(url: URL) throws {
        self.url = url
        try JobDirectory.create(url.deletingLastPathComponent())
        descriptor = open(url.path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw TransferError(.failed, "cannot open the import journal \(url.path): \(String(cString: strerror(errno)))")
        }
        try load()
    }

    deinit { close(descriptor) }

    private func load() throws {
        let data = (try? Data(contentsOf: url)) ?? Data()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        var validLength = 0
        var offset = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            let end = offset + line.count
            defer { offset = end + 1 }
            guard end < data.count, let entry = try? decoder.decode(Entry.self, from: line) else { continue }
            validLength = end + 1
            apply(entry)
        }
        if validLength < data.count {
            // A torn last line: cut it so new lines start clean.
            _ = ftruncate(descriptor, off_t(validLength))
        }
    }

    private func apply(_ entry: Entry) {
        switch entry.kind {
        case "intent":
            if let key = entry.key, !done.contains(key) {
                intents[key] = Pending(key: key, mailbox: entry.mailbox ?? "", uidValidity: entry.uidValidity, uidNext: entry.uidNext)
            }
        case "done":
            if let key = entry.key {
                done.insert(key)
                unreported.insert(key)
                intents[key] = nil
            }
        case "report-intent":
            reportIntent = entry.messageID
        case "report":
            reportSent = true
            reportIntent = nil
            unreported.removeAll()
        default:
            break
        }
    }

    public func isDone(_ key: Key) -> Bool { lock.withLock { done.contains(key) } }

    public var doneCount: Int { lock.withLock { done.count } }

    /// Intents of earlier runs that never got their done.
    public var pending: [Pending] { lock.withLock { Array(intents.values) } }

    /// Messages appended (done) since the last completion report.
    public var unreportedDone: Set<Key> { lock.withLock { unreported } }

    /// The Message-ID of a report whose APPEND was started but not confirmed: it may be in INBOX.
    public var pendingReportMessageID: String? { lock.withLock { reportIntent } }

    public func recordIntent(_ key: Key, mailbox: String, uidValidity: UInt32?, uidNext: UInt32?) {
        let entry = Entry(kind: "intent", folder: key.folder, sha256: key.sha256, occurrence: key.occurrence,
                          mailbox: mailbox, uidValidity: uidValidity, uidNext: uidNext)
        lock.withLock {
            intents[key] = Pending(key: key, mailbox: mailbox, uidValidity: uidValidity, uidNext: uidNext)
            intendedHere.insert(key)
            buffer(entry)
        }
    }

    /// True when this process recorded the intent for `key`: an APPEND of this run, which a
    /// dropped connection left unconfirmed.
    public func isIntendedInThisRun(_ key: Key) -> Bool { lock.withLock { intendedHere.contains(key) } }

    public func recordDone(_ key: Key, uid: UInt32?) {
        let entry = Entry(kind: "done", folder: key.folder, sha256: key.sha256, occurrence: key.occurrence, uid: uid)
        lock.withLock {
            done.insert(key)
            unreported.insert(key)
            intents[key] = nil
            buffer(entry)
        }
    }

    /// Notes that the report with `messageID` is about to be APPENDed.
    public func recordReportIntent(messageID: String) {
        lock.withLock {
            reportIntent = messageID
            buffer(Entry(kind: "report-intent", at: Date(), messageID: messageID))
        }
    }

    public func recordReport() {
        lock.withLock {
            reportSent = true
            reportIntent = nil
            unreported.removeAll()
            buffer(Entry(kind: "report", at: Date()))
        }
    }

    private func buffer(_ entry: Entry) {
        guard let line = try? encoder.encode(entry) else { return }
        buffered.append(line)
        buffered.append(UInt8(ascii: "\n"))
    }

    /// Writes buffered lines and fsyncs: after it returns, they survive a crash.
    ///
    /// The fsync runs on the journal's own serial queue, not on the cooperative threads that
    /// drive the connections, and is shared: one fsync covers every line written before it
    /// started, so connections syncing at the same time wait for one disk flush, not one each.
    public func sync() async throws {
        let target = try lock.withLock { () throws -> Int in
            if !buffered.isEmpty {
                let written = buffered.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
                guard written == buffered.count else { throw failure("write") }
                buffered.removeAll(keepingCapacity: true)
                writtenGeneration += 1
            }
            return writtenGeneration
        }
        guard lock.withLock({ syncedGeneration < target }) else { return }
        // A serial queue: an fsync that finds its lines covered by the one before it is skipped.
        try await BlockingWork.run(on: syncQueue) { [self] in
            guard let covered = lock.withLock({ syncedGeneration >= target ? nil : writtenGeneration }) else { return }
            guard fsync(descriptor) == 0 else { throw failure("fsync") }
            lock.withLock { syncedGeneration = max(syncedGeneration, covered) }
        }
    }

    private func failure(_ call: String) -> TransferError {
        TransferError(.failed, "cannot \(call) the import journal \(url.path): \(String(cString: strerror(errno)))")
    }
}
