import CZlib
import NIOCore

/// Raw DEFLATE decompression (RFC 1951, no zlib or gzip wrapper: zlib `windowBits` -15),
/// the server-to-client half of COMPRESS=DEFLATE (RFC 4978 §4).
///
/// Output is produced up to a caller-chosen limit per call, so a small input that expands
/// enormously (a "deflate bomb") is inflated one bounded piece at a time.
final class RawInflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var isOpen: Bool
    /// Set once the server ended the DEFLATE stream with a final block.
    private(set) var isFinished = false

    init() throws {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, -15, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw IMAPClientError(.invalidConfiguration, "cannot set up DEFLATE decompression (zlib status \(status))")
        }
        isOpen = true
    }

    deinit {
        close()
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Frees zlib's state; later calls to `inflate` fail. Safe to call twice.
    func close() {
        guard isOpen else { return }
        isOpen = false
        inflateEnd(stream)
    }

    /// Inflates bytes from `input` into `output` until `output` holds `limit` readable bytes
    /// or no more progress is possible with the input at hand. Consumed input is skipped.
    /// Returns true when it stopped because `output` is full: zlib may have more to give
    /// even without new input. A corrupt stream, or data after the stream's end, throws
    /// `.protocolViolation`.
    func inflate(_ input: inout ByteBuffer, into output: inout ByteBuffer, limit: Int) throws -> Bool {
        guard isOpen else {
            throw IMAPClientError(.protocolViolation, "the DEFLATE decompressor was used after it was closed")
        }
        while output.readableBytes < limit {
            if isFinished {
                guard input.readableBytes == 0 else {
                    throw IMAPClientError(.protocolViolation, "the server sent \(input.readableBytes) bytes after the end of its compressed stream")
                }
                return false
            }
            let room = limit - output.readableBytes
            var consumed = 0
            var status = Z_OK
            let produced = input.withUnsafeReadableBytes { source in
                output.writeWithUnsafeMutableBytes(minimumWritableBytes: min(room, max(4096, source.count * 4))) { target in
                    let capacity = min(target.count, room)
                    stream.pointee.next_in = source.baseAddress.map { UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self)) }
                    stream.pointee.avail_in = uInt(source.count)
                    stream.pointee.next_out = target.baseAddress?.assumingMemoryBound(to: Bytef.self)
                    stream.pointee.avail_out = uInt(capacity)
                    status = CZlib.inflate(stream, Z_NO_FLUSH)
                    consumed = source.count - Int(stream.pointee.avail_in)
                    return capacity - Int(stream.pointee.avail_out)
                }
            }
            input.moveReaderIndex(forwardBy: consumed)
            stream.pointee.next_in = nil
            stream.pointee.next_out = nil
            switch status {
            case Z_STREAM_END:
                isFinished = true
            case Z_OK:
                if consumed == 0 && produced == 0 { return false }
            case Z_BUF_ERROR:
                return false
            default:
                let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw IMAPClientError(.protocolViolation, "the server's compressed stream is corrupt (\(detail)); the connection was closed")
            }
        }
        return true
    }
}
