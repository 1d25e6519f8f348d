import CZlib

/// Streaming gzip decompression (RFC 1952) through system zlib, chunk by chunk, any number of
/// concatenated members.
///
/// Corrupt data, a member cut short (`finish`) and trailing garbage throw `CrateError.corrupt`;
/// inflating past `outputLimit` throws `.limitExceeded`, which refuses gzip bombs.
public final class GzipReader {
    private let stream: UnsafeMutablePointer<z_stream>
    private var scratch: UnsafeMutableRawBufferPointer?
    private var atMemberBoundary = true
    /// Members fully decoded so far.
    public private(set) var membersCompleted = 0
    /// Bytes produced so far.
    public private(set) var totalOut = 0
    /// Inflating beyond this many bytes throws `.limitExceeded`.
    public let outputLimit: Int
    /// Names the data in error messages (usually a file path).
    public let context: String

    public init(outputLimit: Int = .max, context: String = "gzip stream") throws {
        self.outputLimit = outputLimit
        self.context = context
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 31: gzip wrapper only (no raw deflate, no zlib wrapper).
        let status = inflateInit2_(stream, 31, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            throw CrateError(.io, "zlib inflateInit2 failed with status \(status); is zlib installed correctly?")
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
        scratch?.deallocate()
    }

    /// True between members (nothing of a started member is pending).
    public var isAtMemberBoundary: Bool { atMemberBoundary }

    /// Inflates as much of `input` as fits into `output`; returns what was consumed and produced.
    ///
    /// Call again with the unconsumed rest (or an empty input) while `produced == output.count`:
    /// zlib may hold decoded bytes back until there is room.
    public func inflate(
        _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer
    ) throws -> (consumed: Int, produced: Int) {
        var consumed = 0
        var produced = 0
        while produced < output.count && (consumed < input.count || !atMemberBoundary) {
            if atMemberBoundary {
                if membersCompleted > 0 { inflateReset(stream) }
                atMemberBoundary = false
            }
            let inCount = input.count - consumed
            stream.pointee.next_in = inCount > 0
                ? UnsafeMutablePointer(mutating: (input.baseAddress! + consumed).assumingMemoryBound(to: Bytef.self))
                : nil
            stream.pointee.avail_in = uInt(inCount)
            stream.pointee.next_out = (output.baseAddress! + produced).assumingMemoryBound(to: Bytef.self)
            stream.pointee.avail_out = uInt(output.count - produced)
            let status = CZlib.inflate(stream, Z_NO_FLUSH)
            let usedIn = inCount - Int(stream.pointee.avail_in)
            let madeOut = output.count - produced - Int(stream.pointee.avail_out)
            stream.pointee.next_in = nil
            stream.pointee.avail_in = 0
            consumed += usedIn
            produced += madeOut
            totalOut += madeOut
            if totalOut > outputLimit {
                throw CrateError(
                    .limitExceeded,
                    "\(context) inflates to more than \(outputLimit) bytes; refusing it (corrupt data or a gzip bomb)",
                    path: context)
            }
            switch status {
            case Z_STREAM_END:
                membersCompleted += 1
                atMemberBoundary = true
            case Z_OK:
                if usedIn == 0 && madeOut == 0 { return (consumed, produced) }
            case Z_BUF_ERROR:
                return (consumed, produced)
            default:
                let reason = stream.pointee.msg.map { String(cString: $0) } ?? "status \(status)"
                throw CrateError.corrupt("corrupt gzip data (\(reason))", path: context)
            }
        }
        return (consumed, produced)
    }

    /// Inflates all of `input`, handing decoded bytes to `sink` in chunks of at most 64 KiB.
    public func feed(_ input: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        let buffer = scratchBuffer()
        var offset = 0
        while true {
            let rest = UnsafeRawBufferPointer(rebasing: input[offset...])
            let (consumed, produced) = try inflate(rest, into: buffer)
            offset += consumed
            if produced > 0 { try sink(UnsafeRawBufferPointer(rebasing: buffer[0..<produced])) }
            if produced == buffer.count { continue }  // zlib may hold more decoded bytes
            if offset == input.count { return }
            if consumed == 0 {
                throw CrateError.corrupt("gzip data that zlib cannot decode", path: context)
            }
        }
    }

    /// Inflates all of `input` (a byte array).
    public func feed(_ input: [UInt8], to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try feed($0, to: sink) }
    }

    /// Declares the end of the input: throws `.corrupt` when a member was cut short or when
    /// there was no member at all.
    public func finish() throws {
        guard atMemberBoundary else {
            throw CrateError.corrupt("truncated gzip data (the last member ends early)", path: context)
        }
        guard membersCompleted > 0 else {
            throw CrateError.corrupt("empty gzip data (no member)", path: context)
        }
    }

    /// Forgets everything decoded so far, ready for a new stream.
    public func reset() {
        inflateReset(stream)
        atMemberBoundary = true
        membersCompleted = 0
        totalOut = 0
    }

    private func scratchBuffer() -> UnsafeMutableRawBufferPointer {
        if let scratch { return scratch }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
        scratch = buffer
        return buffer
    }
}

extension GzipReader {
    /// Decompresses `bytes` whole (small inputs and tests).
    public static func decompress(_ bytes: [UInt8], outputLimit: Int = .max) throws -> [UInt8] {
        let reader = try GzipReader(outputLimit: outputLimit)
        var result: [UInt8] = []
        try reader.feed(bytes) { result.append(contentsOf: $0) }
        try reader.finish()
        return result
    }
}
