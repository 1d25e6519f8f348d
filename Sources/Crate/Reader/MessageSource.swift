#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto

/// Streams one stored message back as its original bytes: gunzips, drops the mbox `From ` line,
/// undoes mboxrd quoting and the separator newlines, and checks size and SHA-256 at the end.
///
/// Pull-based and constant in memory (two 64 KiB buffers). The final `read` (the one returning
/// 0) throws `CrateError.corrupt` naming the folder and UID when the bytes are not the ones the
/// index recorded; a source abandoned early is simply closed.
public final class MessageSource {
    public let record: MessageRecord
    public let folderName: String
    /// The file the bytes come from.
    public let path: String

    private let file: CrateFile
    private let isMbox: Bool
    private var rawOffset: Int
    private var rawRemaining: Int
    private let raw: UnsafeMutableRawBufferPointer
    private var rawStart = 0
    private var rawEnd = 0
    private var rawAtEnd = false
    private let gzip: GzipReader?
    private let inflated: UnsafeMutableRawBufferPointer?
    private var unescaping = MboxrdEscaping(.unescape)
    private var skippingFromLine: Bool
    private var fromLineLength = 0
    private var staging: [UInt8] = []
    private var stagingStart = 0
    private var delivered = 0
    private var lastByte: UInt8 = 0
    private var trailer: [UInt8] = []
    /// The data went on past the recorded size (and the mbox separator).
    private var overran = false
    private var hasher = SHA256()
    private var isVerified = false

    init(record: MessageRecord, folder: Manifest.Folder, crateRoot: String) throws {
        self.record = record
        folderName = folder.name
        let compressed = folder.compression == .gzip
        switch record.location {
        case .file(let relative):
            try CrateLayout.validateMessageFile(relative, indexPath: crateRoot + "/" + folder.indexFile)
            path = crateRoot + "/" + folder.location + "/" + relative
            // The file is opened with O_NOFOLLOW; its directory (cur/ or new/) must not be a link either.
            let directory = AtomicFile.parentDirectory(of: path)
            if try CrateFileSystem.entryType(directory) == .symlink {
                throw CrateError(
                    .unsafePath, "\(directory) is a symbolic link; a crate never contains links. Remove it",
                    path: directory)
            }
            file = try Self.openData(path, folder: folder.name, uid: record.uid)
            isMbox = false
            rawOffset = 0
            rawRemaining = try file.size()
        case .mbox(let offset, let length):
            path = crateRoot + "/" + folder.location
            file = try Self.openData(path, folder: folder.name, uid: record.uid)
            isMbox = true
            rawOffset = offset
            rawRemaining = length
            let (end, overflow) = offset.addingReportingOverflow(length)
            guard offset >= 0, length >= 0, !overflow, end <= (try file.size()) else {
                throw CrateError.corrupt(
                    "message UID \(record.uid) of folder \"\(folder.name)\" lies beyond the end of the mbox file",
                    path: path)
            }
        }
        skippingFromLine = isMbox
        // Buffers sized for the message (small messages are the common case), at most 64 KiB.
        raw = .allocate(byteCount: min(64 * 1024, max(4096, rawRemaining + 1)), alignment: 16)
        let decodedBound = isMbox ? record.size * 2 + 4096 : record.size + 4096
        if compressed {
            gzip = try GzipReader(outputLimit: decodedBound + 60 * 1024, context: path)
            inflated = .allocate(byteCount: min(64 * 1024, max(4096, decodedBound)), alignment: 16)
        } else {
            gzip = nil
            inflated = nil
        }
        staging.reserveCapacity(min(128 * 1024, decodedBound))
    }

    deinit {
        raw.deallocate()
        inflated?.deallocate()
    }

    private static func openData(_ path: String, folder: String, uid: UInt32) throws -> CrateFile {
        do {
            return try CrateFile.openForReading(path)
        } catch let error as CrateError where error.errno == ENOENT {
            throw CrateError(
                .corrupt, "message UID \(uid) of folder \"\(folder)\" is missing: no file \(path). "
                    + "Run `imapcrate verify` to list every problem", path: path, errno: ENOENT)
        }
    }

    /// Copies up to `buffer.count` original bytes into `buffer`; 0 means the message ended and
    /// matched its recorded size and SHA-256.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard buffer.count > 0 else { return 0 }
        while stagingStart == staging.count {
            if isVerified { return 0 }
            staging.removeAll(keepingCapacity: true)
            stagingStart = 0
            try step()
        }
        let count = min(buffer.count, staging.count - stagingStart)
        staging.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[stagingStart..<(stagingStart + count)]))
        }
        stagingStart += count
        return count
    }

    /// The next chunk of original bytes, nil once the message ended (and was verified).
    public func nextChunk(maximumLength: Int = 64 * 1024) throws -> [UInt8]? {
        var chunk = [UInt8](repeating: 0, count: maximumLength)
        let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
        guard count > 0 else { return nil }
        chunk.removeSubrange(count...)
        return chunk
    }

    /// The whole message (bounded by the recorded size); for small messages and tests.
    public func readAll() throws -> [UInt8] {
        var result: [UInt8] = []
        // The recorded size is not trusted for the allocation: the bytes have to prove it.
        result.reserveCapacity(min(record.size, 1 << 20))
        while let chunk = try nextChunk() { result.append(contentsOf: chunk) }
        return result
    }

    /// Reads to the end without keeping the bytes; throws when the message does not verify.
    public func verify() throws {
        let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        defer { scratch.deallocate() }
        while try read(into: scratch) > 0 {}
    }

    public func close() {
        try? file.close()
    }

    // MARK: Pipeline

    private func step() throws {
        if rawStart == rawEnd && !rawAtEnd { try refillRaw() }
        let pending = UnsafeRawBufferPointer(rebasing: raw[rawStart..<rawEnd])
        if let gzip, let inflated {
            if pending.count > 0 || !gzip.isAtMemberBoundary {
                let (consumed, produced) = try gzipCall { try gzip.inflate(pending, into: inflated) }
                rawStart += consumed
                if produced > 0 {
                    try decode(UnsafeRawBufferPointer(rebasing: inflated[0..<produced]))
                } else if consumed == 0 && rawAtEnd {
                    try complete()
                } else if consumed == 0 && pending.count > 0 {
                    throw corrupt("gzip data that zlib cannot decode")
                }
            } else if rawAtEnd {
                try complete()
            }
        } else if pending.count > 0 {
            rawStart = rawEnd
            try decode(pending)
        } else if rawAtEnd {
            try complete()
        }
    }

    private func refillRaw() throws {
        let want = min(raw.count, rawRemaining)
        guard want > 0 else {
            rawAtEnd = true
            return
        }
        let target = UnsafeMutableRawBufferPointer(rebasing: raw[0..<want])
        let count = isMbox ? try file.read(into: target, at: rawOffset) : try file.read(into: target)
        rawStart = 0
        rawEnd = count
        rawOffset += count
        rawRemaining -= count
        if count == 0 { rawAtEnd = true }
    }

    /// Stored bytes → original bytes (mbox: skip the `From ` line, unquote).
    private func decode(_ bytes: UnsafeRawBufferPointer) throws {
        guard isMbox else { return try deliver(bytes) }
        var rest = bytes
        if skippingFromLine {
            if let newline = rest.firstIndex(of: 0x0A) {
                fromLineLength += newline + 1
                skippingFromLine = false
                rest = UnsafeRawBufferPointer(rebasing: rest[(newline + 1)...])
            } else {
                fromLineLength += rest.count
                rest = UnsafeRawBufferPointer(rebasing: rest[rest.count...])
            }
            if fromLineLength > 1000 { throw corrupt("an mbox member without a valid From line") }
        }
        try unescaping.process(rest) { try deliver($0) }
    }

    /// Hands original bytes to the reader, up to the recorded size; mbox keeps what follows
    /// (the separator newlines) aside to check it.
    private func deliver(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        let take = min(bytes.count, record.size - delivered)
        if take > 0 {
            let part = UnsafeRawBufferPointer(rebasing: bytes[0..<take])
            staging.append(contentsOf: part)
            hasher.update(bufferPointer: part)
            delivered += take
            lastByte = part[take - 1]
        }
        if take < bytes.count {
            if isMbox && trailer.count + (bytes.count - take) <= 2 {
                trailer.append(contentsOf: bytes[take...])
                return
            }
            // Too long. Gzip data is inflated on (and dropped) up to the reader's output limit,
            // so that a gzip bomb ends as `.limitExceeded` while damaged data that is merely a
            // little long ends as `.corrupt` in `complete()`.
            guard gzip != nil else { throw corrupt("more bytes than the \(record.size) recorded") }
            overran = true
        }
    }

    private func complete() throws {
        if let gzip { try gzipCall { try gzip.finish() } }
        if overran { throw corrupt("more bytes than the \(record.size) recorded") }
        if isMbox {
            if skippingFromLine { throw corrupt("an mbox member without a From line") }
            try unescaping.finish { try deliver($0) }
            let expected: [UInt8] = record.size == 0 || lastByte == 0x0A ? [0x0A] : [0x0A, 0x0A]
            if delivered == record.size && trailer != expected {
                throw corrupt("an mbox member that does not end with the expected blank line")
            }
        }
        guard delivered == record.size else {
            throw corrupt("\(delivered) bytes where the index recorded \(record.size) (truncated data)")
        }
        let digest = hasher.finalize().hexString
        guard digest == record.sha256.lowercased() else {
            throw corrupt("bytes whose SHA-256 is \(digest), not the recorded \(record.sha256) (changed data)")
        }
        isVerified = true
    }

    /// Runs a zlib step, naming the folder and UID in its errors.
    private func gzipCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as CrateError {
            let reason = error.message.components(separatedBy: " in \(path)").first ?? error.message
            var named = corrupt(reason)
            named.cause = error
            // A gzip bomb is not wear and tear: callers refuse the crate rather than skip it.
            if error.code == .limitExceeded { named.code = .limitExceeded }
            throw named
        }
    }

    private func corrupt(_ what: String) -> CrateError {
        CrateError.corrupt("message UID \(record.uid) of folder \"\(folderName)\" has \(what)", path: path)
    }
}
