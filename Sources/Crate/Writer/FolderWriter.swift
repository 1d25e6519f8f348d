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

    private let lock = NSLock()
    private var ledger: FolderLedger
    private var currentUIDValidity: UInt32?
    private var isSelectable: Bool
    private let index: IndexWriter
    private var pendingFiles: [String] = []
    private var pendingBytes = 0
    private var openSinkUID: UInt32?
    private var isClosed = false
    // Storage resources, used by the one open sink.
    let output = FileOutputBuffer()
    private var gzip: GzipWriter?
    private var mboxFile: CrateFile?

    init(
        entry: Manifest.Folder, crateRoot: String, compression: CompressionSettings, ledger: FolderLedger,
        indexValidLength: Int?
    ) throws {
        name = entry.name
        format = entry.format
        self.compression = entry.compression == .none ? .none
            : (compression.kind == .none ? .default : compression)
        self.crateRoot = crateRoot
        dataPath = crateRoot + "/" + entry.location
        self.ledger = ledger
        currentUIDValidity = entry.uidValidity
        isSelectable = entry.selectable
        index = try IndexWriter(path: crateRoot + "/" + entry.indexFile, validLength: indexValidLength)
    }

    // MARK: Incremental state

    /// The UIDVALIDITY messages are stored under (from the last `CrateWriter.folder` call).
    public var uidValidity: UInt32? { lock.withLock { currentUIDValidity } }

    /// UIDs already stored (or finished, not yet committed) under the current UIDVALIDITY.
    public var knownUIDs: Set<UInt32> { lock.withLock { ledger.knownUIDs(uidValidity: currentUIDValidity) } }

    /// Highest stored UID under the current UIDVALIDITY, 0 when none: fetch `lastUID+1:*`.
    public var lastUID: UInt32 { lock.withLock { ledger.knownUIDs(uidValidity: currentUIDValidity).max() ?? 0 } }

    /// SHA-256 (hex) of every stored message, whatever its UIDVALIDITY.
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

    /// Commits and releases files; called by `CrateWriter.finish`.
    func close() throws {
        try lock.withLock {
            guard !isClosed else { return }
            if let open = openSinkUID {
                throw misuse("message UID \(open) of folder \"\(name)\" is still open; finish or abort it before CrateWriter.finish")
            }
            try commitLocked()
            isClosed = true
            try index.close()
            try mboxFile?.close()
            mboxFile = nil
        }
    }

    private func misuse(_ message: String) -> CrateError {
        CrateError(.invalidArgument, message)
    }

    // MARK: Storage (called by the open sink)

    /// Compresses (or not) and buffers bytes into the open file.
    func store(_ bytes: UnsafeRawBufferPointer) throws {
        if let gzip {
            try gzip.write(bytes) { try output.write($0) }
        } else {
            try output.write(bytes)
        }
    }

    /// Ends the stored form (gzip member) and returns its stored length.
    func endStorage() throws -> Int {
        if let gzip {
            try gzip.finish { try output.write($0) }
        }
        try output.flush()
        return output.bytesAccepted
    }

    private func beginStorage(_ file: CrateFile) throws {
        if compression.kind == .gzip && gzip == nil {
            gzip = try GzipWriter(level: compression.level)
        }
        output.attach(file)
    }

    private func resetStorage() {
        gzip?.reset()
        output.detach()
    }

    private func beginMaildirFile(_ context: MessageSink.Context) throws -> MessageSink.Target {
        let base = MaildirFileName.baseName(
            unixSeconds: context.internalDateUnix, uid: context.uid, uidValidity: context.uidValidity,
            host: CrateFileSystem.maildirHostName)
        let temporary = dataPath + "/tmp/" + base
        let file: CrateFile
        do {
            file = try CrateFile.createNew(temporary)
        } catch let error as CrateError where error.errno == EEXIST {
            try CrateFileSystem.removeFile(temporary)
            file = try CrateFile.createNew(temporary)
        }
        try beginStorage(file)
        return .maildir(file: file, temporaryPath: temporary, baseName: base)
    }

    private func beginMboxMember(_ context: MessageSink.Context) throws -> MessageSink.Target {
        let file: CrateFile
        if let mboxFile {
            file = mboxFile
        } else {
            file = try CrateFile.openForAppending(dataPath)
            try file.truncate(to: ledger.mboxEnd)
            mboxFile = file
        }
        try beginStorage(file)
        let start = ledger.mboxEnd
        do {
            try MboxFromLine.line(unixSeconds: context.internalDateUnix).withUnsafeBytes { try store($0) }
        } catch {
            resetStorage()
            try? file.truncate(to: start)
            throw error
        }
        return .mbox(start: start)
    }

    // MARK: Completion (called by the sink)

    /// Files a finished message: names it (Maildir) or records its member (mbox), or shares an
    /// identical copy stored under an older UIDVALIDITY, and queues its index line.
    func complete(
        _ context: MessageSink.Context, target: MessageSink.Target, hash: MessageHash, size: Int,
        virtualSize: Int, messageID: String?
    ) throws -> MessageRecord {
        try lock.withLock {
            defer { openSinkUID = nil }
            let storedLength = try endStorage()
            output.detach()
            let reusable = ledger.reusableCopy(of: hash, size: size, uidValidity: context.uidValidity)
            let location: MessageLocation
            var durableFile: String?
            switch target {
            case .maildir(let file, let temporary, let base):
                try file.setTimes(unixSeconds: context.internalDateUnix)
                try file.close()
                if let reusable {
                    try CrateFileSystem.removeFile(temporary)
                    location = reusable.location
                } else {
                    let final = MaildirFileName.finalName(
                        base: base, size: size, virtualSize: virtualSize, flags: context.flags)
                    try CrateFileSystem.rename(temporary, to: dataPath + "/cur/" + final)
                    location = .file("cur/" + final)
                    durableFile = dataPath + "/cur/" + final
                }
            case .mbox(let start):
                if let reusable {
                    try mboxFile?.truncate(to: start)
                    location = reusable.location
                } else {
                    location = .mbox(offset: start, length: storedLength)
                    ledger.mboxEnd = start + storedLength
                }
            }
            let record = MessageRecord(
                uid: context.uid, uidValidity: context.uidValidity, size: size, sha256: hash.hex,
                internalDate: context.internalDate, internalDateUnix: context.internalDateUnix,
                flags: context.flags, messageID: messageID, location: location)
            index.append(record)
            ledger.note(record, hash: hash)
            pendingBytes += size
            if let durableFile { pendingFiles.append(durableFile) }
            return record
        }
    }

    /// Throws away the open message's stored bytes.
    func discard(_ target: MessageSink.Target) {
        lock.withLock {
            resetStorage()
            switch target {
            case .maildir(let file, let temporary, _):
                try? file.close()
                try? CrateFileSystem.removeFile(temporary)
            case .mbox(let start):
                try? mboxFile?.truncate(to: start)
            }
            openSinkUID = nil
        }
    }
}
