import CZlib
import NIOCore

/// Raw DEFLATE compression (RFC 1951, zlib `windowBits` -15), the client-to-server half of
/// COMPRESS=DEFLATE (RFC 4978 §4), at level 1: mail is sent once, speed matters more than
/// the last few percent.
///
/// `compress` may keep bytes inside zlib; `syncFlush` (Z_SYNC_FLUSH, RFC 4978 §6) pushes out
/// everything given so far, ending on a byte boundary so the server can act on it at once.
final class RawDeflater {
    /// Largest buffer handed to the next handler.
    let chunkSize: Int
    private let stream: UnsafeMutablePointer<z_stream>
    private var isOpen: Bool
    /// Compressed bytes not yet handed out.
    private var output: ByteBuffer

    init(level: Int32 = 1, chunkSize: Int = 64 * 1024) throws {
        self.chunkSize = chunkSize
        self.output = ByteBuffer()
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw IMAPClientError(.invalidConfiguration, "cannot set up DEFLATE compression (zlib status \(status))")
        }
        isOpen = true
    }

    deinit {
        close()
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Frees zlib's state; later calls fail. Safe to call twice.
    func close() {
        guard isOpen else { return }
        isOpen = false
        deflateEnd(stream)
    }

    /// Compresses `input`, calling `emit` with every full chunk of output.
    func compress(_ input: ByteBuffer, emit: (ByteBuffer) -> Void) throws {
        var input = input
        try run(&input, flush: Z_NO_FLUSH, emit: emit)
    }

    /// Z_SYNC_FLUSH: emits everything compressed so far, ending with the empty stored block
    /// (`00 00 FF FF`), in chunks of at most `chunkSize`.
    func syncFlush(emit: (ByteBuffer) -> Void) throws {
        var empty = ByteBuffer()
        try run(&empty, flush: Z_SYNC_FLUSH, emit: emit)
        if output.readableBytes > 0 {
            emit(output.readSlice(length: output.readableBytes)!)
        }
        output = ByteBuffer()
    }

    private func run(_ input: inout ByteBuffer, flush: Int32, emit: (ByteBuffer) -> Void) throws {
        guard isOpen else {
            throw IMAPClientError(.invalidConfiguration, "the DEFLATE compressor was used after it was closed")
        }
        while true {
            if output.readableBytes == chunkSize {
                emit(output)
                output = ByteBuffer()
            }
            let room = chunkSize - output.readableBytes
            var consumed = 0
            var status = Z_OK
            let produced = input.withUnsafeReadableBytes { source in
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: room) { target in
                    stream.pointee.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
                    stream.pointee.avail_in = uInt(source.count)
                    stream.pointee.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(room)
                    status = deflate(stream, flush)
                    consumed = source.count - Int(stream.pointee.avail_in)
                    return room - Int(stream.pointee.avail_out)
                }
            }
            input.moveReaderIndex(forwardBy: consumed)
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            guard status == Z_OK || status == Z_BUF_ERROR else {
                throw IMAPClientError(.invalidConfiguration, "DEFLATE compression failed (zlib status \(status))")
            }
            // Done when zlib had room to spare: all input taken and, for a flush, all output out.
            if produced < room && input.readableBytes == 0 { return }
            if consumed == 0 && produced == 0 { return }
        }
    }
}
