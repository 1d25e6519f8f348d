import CZlib

/// Streaming gzip compression (RFC 1952) through system zlib, one complete member per `finish`.
///
/// The z_stream and its output buffer are allocated once and reused member after member
/// (`deflateReset`), so compressing many small messages costs no per-message setup.
///
/// At levels 1–5 the writer adapts to its input, slice by slice: high-entropy slices (base64 of
/// JPEGs, PDFs, archives: see `ByteEntropy`) skip the string search, which finds next to
/// nothing there and costs three quarters of the time. Level 1, the fastest, stores them
/// (deflate stored blocks, about 900 MB/s per core); levels 2–5 Huffman-code them
/// (`Z_HUFFMAN_ONLY`: 24% smaller, about 190 MB/s, as small as any level's search gets them).
/// The rest gets the level's usual LZ77 search. Levels 6–9 search everywhere. The output is
/// ordinary gzip either way.
/// ```
/// let gzip = try GzipWriter(level: 6)
/// try gzip.write(chunk) { compressed in try file.write(compressed) }
/// let memberSize = try gzip.finish { compressed in try file.write(compressed) }
/// ```
public final class GzipWriter {
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutableRawBufferPointer
    private var memberBytes = 0
    /// How the stream currently treats its input.
    private var mode = Mode.search
    public let level: Int
    /// Whether the strategy follows the input's entropy (levels 1–5).
    public let isAdaptive: Bool

    /// What the writer does with a slice.
    enum Mode {
        /// The level's LZ77 string search.
        case search
        /// Huffman coding alone (high-entropy slices, levels 2–5).
        case huffman
        /// Stored blocks (high-entropy slices, level 1).
        case store
    }

    /// Input is classified in slices of this size; shorter writes keep the current strategy.
    static let sliceSize = 32 * 1024
    static let smallestClassifiedSlice = 2048

    /// - Parameters:
    ///   - level: zlib level 0 (stored, no compression) ... 9 (smallest).
    ///   - bufferCapacity: size of the reusable output buffer.
    public init(level: Int = 6, bufferCapacity: Int = 64 * 1024) throws {
        self.level = min(max(level, 0), 9)
        isAdaptive = (1...5).contains(self.level)
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = .allocate(byteCount: max(bufferCapacity, 1024), alignment: 16)
        // windowBits 31 = 15 (32 KiB window) + 16 (gzip header and trailer instead of zlib's).
        let status = deflateInit2_(
            stream, Int32(self.level), Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw CrateError(.io, "zlib deflateInit2 failed with status \(status); is zlib installed correctly?")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    /// Compresses `input`, handing compressed bytes to `sink` whenever the output buffer fills.
    public func write(_ input: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard isAdaptive else { return try deflateSlice(input, to: sink) }
        var start = 0
        while start < input.count {
            let end = min(start + Self.sliceSize, input.count)
            let slice = UnsafeRawBufferPointer(rebasing: input[start..<end])
            if slice.count >= Self.smallestClassifiedSlice {
                try use(ByteEntropy.isHighEntropy(slice) ? (level == 1 ? .store : .huffman) : .search, to: sink)
            }
            try deflateSlice(slice, to: sink)
            start = end
        }
    }

    private func deflateSlice(_ input: UnsafeRawBufferPointer, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(input.count)
        defer { stream.pointee.next_in = nil; stream.pointee.avail_in = 0 }
        try run(flush: Z_NO_FLUSH, to: sink)
    }

    /// Compresses `input`.
    public func write(_ input: [UInt8], to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try input.withUnsafeBytes { try write($0, to: sink) }
    }

    /// Ends the current member (deflate tail + CRC-32 + size) and returns its compressed size in
    /// bytes; the next `write` starts a new member.
    @discardableResult
    public func finish(to sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try run(flush: Z_FINISH, to: sink)
        let size = memberBytes
        reset()
        return size
    }

    /// Drops the member in progress so the next `write` starts a fresh one.
    public func reset() {
        deflateReset(stream)
        memberBytes = 0
    }

    /// Switches the stream to `wanted`. Mid-member, zlib first ends the current deflate block
    /// (`Z_BLOCK`), which may produce output.
    private func use(_ wanted: Mode, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard wanted != mode else { return }
        let (newLevel, strategy): (Int32, Int32) = switch wanted {
        case .search: (Int32(level), Z_DEFAULT_STRATEGY)
        case .huffman: (Int32(level), Z_HUFFMAN_ONLY)
        case .store: (0, Z_DEFAULT_STRATEGY)
        }
        while true {
            let (status, produced) = try step(to: sink) { deflateParams(stream, newLevel, strategy) }
            if status == Z_OK { break }
            // Z_BUF_ERROR: the block did not fit the output buffer; drain and call again.
            guard status == Z_BUF_ERROR, produced > 0 else {
                reset()
                throw CrateError(.io, "zlib deflateParams failed with status \(status)")
            }
        }
        mode = wanted
    }

    /// Points zlib at the whole output buffer, makes one call, and hands on what it produced.
    private func step(to sink: (UnsafeRawBufferPointer) throws -> Void, _ call: () -> Int32) throws -> (status: Int32, produced: Int) {
        stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(output.count)
        let status = call()
        let produced = output.count - Int(stream.pointee.avail_out)
        if produced > 0 {
            memberBytes += produced
            try sink(UnsafeRawBufferPointer(rebasing: output[0..<produced]))
        }
        return (status, produced)
    }

    private func run(flush: Int32, to sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            let (status, produced) = try step(to: sink) { deflate(stream, flush) }
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // Z_NO_FLUSH is done once all input is consumed and the output had room left.
                if flush == Z_NO_FLUSH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if status == Z_BUF_ERROR && produced == 0 {
                    // No progress possible: nothing left to do for Z_NO_FLUSH; a bug for Z_FINISH.
                    if flush == Z_NO_FLUSH { return }
                    reset()
                    throw CrateError(.io, "zlib deflate made no progress while finishing a member")
                }
            default:
                reset()
                throw CrateError(.io, "zlib deflate failed with status \(status)")
            }
        }
    }
}

extension GzipWriter {
    /// Compresses `bytes` into one complete gzip member (small inputs and tests).
    public static func compress(_ bytes: [UInt8], level: Int = 6) throws -> [UInt8] {
        let writer = try GzipWriter(level: level)
        var result: [UInt8] = []
        let append: (UnsafeRawBufferPointer) throws -> Void = { result.append(contentsOf: $0) }
        try writer.write(bytes, to: append)
        try writer.finish(to: append)
        return result
    }
}
