import Crypto
import Foundation

/// Receives one message's bytes, chunk by chunk, and stores them in the crate.
///
/// While the bytes stream past it computes their SHA-256 and size, reads the Message-ID from
/// the header, counts bare LFs (Maildir `W=`) and, for mbox, applies mboxrd `From ` quoting.
/// The message is never held whole in memory. `finish()` files it and returns its index record
/// (durable after `FolderWriter.commit()`); `abort()` (or an error, or dropping the sink)
/// removes what was written.
public final class MessageSink: @unchecked Sendable {
    struct Context {
        var uid: UInt32
        var uidValidity: UInt32
        var flags: [String]
        var internalDate: String
        var internalDateUnix: Int64
        var expectedSize: Int?
    }

    enum Target {
        case maildir(file: CrateFile, temporaryPath: String, baseName: String)
        case mbox(start: Int)
    }

    private enum State { case open, finished, aborted }

    private let lock = NSLock()
    private let folder: FolderWriter
    private let context: Context
    private let target: Target
    private var state = State.open
    private var hasher = SHA256()
    private var header = HeaderScanner()
    private var lineEndings = LineEndingCounter()
    private var escaping: MboxrdEscaping?
    private var size = 0
    private var lastByte: UInt8 = 0

    /// The source UID of the message.
    public var uid: UInt32 { context.uid }

    /// Bytes received so far.
    public var bytesWritten: Int { lock.withLock { size } }

    init(folder: FolderWriter, context: Context, target: Target) {
        self.folder = folder
        self.context = context
        self.target = target
        if case .mbox = target { escaping = MboxrdEscaping(.escape) }
    }

    deinit {
        if state == .open { folder.discard(target) }
    }

    /// Appends the next chunk of the message.
    public func write(_ chunk: UnsafeRawBufferPointer) throws {
        try lock.withLock {
            guard state == .open else {
                throw CrateError(.invalidArgument, "message UID \(context.uid) of \"\(folder.name)\" is already finished or aborted")
            }
            guard chunk.count > 0 else { return }
            do {
                hasher.update(bufferPointer: chunk)
                size += chunk.count
                lastByte = chunk[chunk.count - 1]
                if let expected = context.expectedSize, size > expected { throw sizeMismatch(expected) }
                if !header.isComplete { header.consume(chunk) }
                if escaping != nil {
                    try escaping!.process(chunk) { try folder.store($0) }
                } else {
                    lineEndings.consume(chunk)
                    try folder.store(chunk)
                }
            } catch {
                abortLocked()
                throw error
            }
        }
    }

    /// Appends the next chunk (`[UInt8]`, `Data`, `ArraySlice<UInt8>`...).
    public func write(_ chunk: some ContiguousBytes) throws {
        try chunk.withUnsafeBytes { try write($0) }
    }

    /// Ends the message and files it; returns its index record (durable after
    /// `FolderWriter.commit()`). Throws `.sizeMismatch` when `expectedSize` was given and differs.
    public func finish() throws -> MessageRecord {
        try lock.withLock {
            guard state == .open else {
                throw CrateError(.invalidArgument, "message UID \(context.uid) of \"\(folder.name)\" is already finished or aborted")
            }
            do {
                if let expected = context.expectedSize, size != expected { throw sizeMismatch(expected) }
                if escaping != nil {
                    try escaping!.finish { try folder.store($0) }
                    try storeMboxTrailer()
                }
                let hash = MessageHash(digest: hasher.finalize())
                let record = try folder.complete(
                    context, target: target, hash: hash, size: size,
                    virtualSize: size + lineEndings.bareLineFeeds, messageID: messageID())
                state = .finished
                return record
            } catch {
                abortLocked()
                throw error
            }
        }
    }

    /// Drops the message: nothing of it stays in the crate.
    public func abort() {
        lock.withLock { abortLocked() }
    }

    private func abortLocked() {
        guard state == .open else { return }
        state = .aborted
        folder.discard(target)
    }

    /// mbox: the message ends with a newline (added when it had none) and a blank line. A reader
    /// knows the original size from the index, so it can drop what was added.
    private func storeMboxTrailer() throws {
        let endsWithNewline = lastByte == 0x0A
        let trailer: StaticString = endsWithNewline || size == 0 ? "\n" : "\n\n"
        try folder.store(UnsafeRawBufferPointer(start: trailer.utf8Start, count: trailer.utf8CodeUnitCount))
    }

    private func messageID() -> String? {
        guard let value = header.value(of: "Message-ID"), !value.isEmpty else { return nil }
        return String(value.prefix(998))
    }

    private func sizeMismatch(_ expected: Int) -> CrateError {
        CrateError(
            .sizeMismatch,
            "message UID \(context.uid) of \"\(folder.name)\" was announced as \(expected) bytes but "
                + "\(size) arrived; the message was not stored. Fetch it again")
    }
}
