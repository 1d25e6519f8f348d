import Foundation

/// Writes the messages of one folder: hands out one `MessageSink` at a time and makes finished
/// messages durable in batches with `commit()`.
///
/// Incremental runs ask `knownUIDs` / `lastUID` (for the folder's current UIDVALIDITY) and
/// `knownHashes`. Safe to call from any thread; one message is open at a time.
public final class FolderWriter: @unchecked Sendable {
    /// The folder's full name.
    public let name: String
    public let format: MailFormat
    public let compression: CompressionSettings
    let crateRoot: String
    /// Absolute path of the folder's data: a Maildir directory or an mbox file.
    let dataPath: String

    let lock = NSLock()
    var ledger: FolderLedger
    private var currentUIDValidity: UInt32?
    private var isSelectable: Bool
    let index: IndexWriter
    var pendingFiles: [String] = []
    var pendingBytes = 0
    var openSinkUID: UInt32?
    private var isClosed = false
    // Storage resources, used by the one open sink.
    let output = FileOutputBuffer()
    var gzip: GzipWriter?
    var mboxFile: CrateFile?
    /// Maildir only: keyword letters for Dovecot.
    var keywords: DovecotKeywords?
    /// Keeps the crate's writer lock held while this folder can still write, even if the
    /// `CrateWriter` itself is released first; dropped by `close()`.
    private var crateLock: CrateLock?

    init(
        entry: Manifest.Folder, crateRoot: String, compression: CompressionSettings, ledger: FolderLedger,
        indexValidLength: Int?, lock crateLock: CrateLock?
    ) throws {
        self.crateLock = crateLock
        name = entry.name
        format = entry.format
        // A folder keeps the compression kind it was created with; only the level can change.
        if entry.compression == .none {
            self.compression = .none
        } else {
            self.compression = compression.kind == .none ? .default : compression
        }
        self.crateRoot = crateRoot
        dataPath = crateRoot + "/" + entry.location
        self.ledger = ledger
        currentUIDValidity = entry.uidValidity
        isSelectable = entry.selectable
        index = try IndexWriter(path: crateRoot + "/" + entry.indexFile, validLength: indexValidLength)
        if format == .maildir { keywords = try DovecotKeywords(folderPath: dataPath) }
    }

    // MARK: Incremental state

    /// The UIDVALIDITY messages are stored under (from the last `CrateWriter.folder` call).
    public var uidValidity: UInt32? { lock.withLock { currentUIDValidity } }

    /// UIDs already stored (or finished, not yet committed) under the current UIDVALIDITY.
    public var knownUIDs: Set<UInt32> { lock.withLock { ledger.knownUIDs(uidValidity: currentUIDValidity) } }

    /// Highest stored UID under the current UIDVALIDITY, 0 when none: fetch `lastUID+1:*`.
    public var lastUID: UInt32 { lock.withLock { ledger.knownUIDs(uidValidity: currentUIDValidity).max() ?? 0 } }

    /// SHA-256 (hex) of the stored messages a new message can share a copy with: every one,
    /// whatever its UIDVALIDITY, until `releaseBuffers` drops those of the current one.
    public var knownHashes: Set<String> { lock.withLock { ledger.allHashes } }

    /// Records in the index (committed).
    public var messageCount: Int { lock.withLock { ledger.messageCount } }

    /// Original bytes of the committed records.
    public var bytes: Int { lock.withLock { ledger.bytes } }

    /// Messages finished but not yet committed.
    public var pendingCount: Int { lock.withLock { index.pendingCount } }

    /// Bytes finished but not yet committed (for "commit every N MB" policies).
    public var pendingByteCount: Int { lock.withLock { pendingBytes } }

    func update(_ descriptor: FolderDescriptor) {
        lock.withLock {
            currentUIDValidity = descriptor.uidValidity
            isSelectable = descriptor.selectable
        }
    }

    // MARK: Messages

    /// Starts storing one message. Feed its exact bytes to the sink, then `finish()` it.
    ///
    /// - Parameters:
    ///   - uid: the source UID; must not be stored already under the current UIDVALIDITY.
    ///   - flags: flags and keywords as the server sent them.
    ///   - internalDate: INTERNALDATE text, e.g. `"17-Jul-1996 02:44:25 -0700"`.
    ///   - internalDateUnix: the same instant in Unix seconds.
    ///   - expectedSize: the literal's byte count when known; a different total fails `finish()`.
    public func beginMessage(
        uid: UInt32, flags: [String], internalDate: String, internalDateUnix: Int64, expectedSize: Int? = nil
    ) throws -> MessageSink {
        try lock.withLock {
            guard !isClosed else { throw misuse("folder \"\(name)\" was already closed by CrateWriter.finish") }
            guard isSelectable, let uidValidity = currentUIDValidity else {
                throw misuse("folder \"\(name)\" is not selectable or has no UIDVALIDITY; it cannot hold messages")
            }
            if let open = openSinkUID {
                throw misuse("folder \"\(name)\" already has message UID \(open) open; finish or abort it first")
            }
            guard !ledger.contains(uid: uid, uidValidity: uidValidity) else {
                throw misuse("UID \(uid) (UIDVALIDITY \(uidValidity)) is already stored in folder \"\(name)\"")
            }
            let context = MessageSink.Context(
                uid: uid, uidValidity: uidValidity, flags: flags, internalDate: internalDate,
                internalDateUnix: internalDateUnix, expectedSize: expectedSize)
            let target: MessageSink.Target
            switch format {
            case .maildir:
                target = try beginMaildirFile(context)
            case .mbox:
                target = try beginMboxMember(context)
            }
            openSinkUID = uid
            return MessageSink(folder: self, context: context, target: target)
        }
    }

    /// Makes every finished message durable: flushes their data (one `syncfs` on Linux, else
    /// fsync per file / the mbox file), then appends their index lines and fsyncs the index.
    /// Call it every N messages or MB; `CrateWriter.finish` calls it too.
    public func commit() throws {
        try lock.withLock { try commitLocked() }
    }

    private func commitLocked() throws {
        guard index.pendingCount > 0 else { return }
        switch format {
        case .mbox:
            try mboxFile?.sync()
        case .maildir:
            try keywords?.save(folderPath: dataPath)
            if !(try CrateFileSystem.syncFileSystem(containing: crateRoot)) {
                for file in pendingFiles { try CrateFileSystem.syncFile(file) }
                try CrateFileSystem.syncDirectory(dataPath + "/cur")
            }
        }
        let count = index.pendingCount
        try index.sync()
        ledger.messageCount += count
        ledger.bytes += pendingBytes
        pendingBytes = 0
        pendingFiles.removeAll(keepingCapacity: true)
    }

    /// Gives back the compression state and the output buffer (about 400 KB with gzip) of a
    /// folder that is done for now; the next message allocates them again. An export of many
    /// folders keeps only the busy ones' buffers.
    /// The content hashes of messages stored under the current UIDVALIDITY are let go too:
    /// they only serve to share a copy with another UIDVALIDITY.
    public func releaseBuffers() {
        lock.withLock {
            guard openSinkUID == nil else { return }
            try? output.flush()
            output.detach()
            output.release()
            gzip = nil
            if let currentUIDValidity { ledger.forgetCopies(under: currentUIDValidity) }
        }
    }

    /// Commits and releases files; called by `CrateWriter.finish`.
    func close() throws {
        try lock.withLock {
            guard !isClosed else { return }
            if let open = openSinkUID {
                throw misuse("message UID \(open) of folder \"\(name)\" is still open; finish or abort it before CrateWriter.finish")
            }
            try commitLocked()
            isClosed = true
            crateLock = nil
            try index.close()
            try mboxFile?.close()
            mboxFile = nil
        }
    }

    func misuse(_ message: String) -> CrateError {
        CrateError(.invalidArgument, message)
    }
}
