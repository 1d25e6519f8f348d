#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Counts LFs not preceded by CR across chunks, for Dovecot's virtual size (`W=`): the size the
/// message has when every line ends in CRLF.
struct LineEndingCounter {
    private(set) var bareLineFeeds = 0
    private var previousByte: UInt8 = 0

    mutating func consume(_ chunk: UnsafeRawBufferPointer) {
        guard let base = chunk.baseAddress, chunk.count > 0 else { return }
        var position = 0
        while position < chunk.count, let hit = memchr(base + position, 0x0A, chunk.count - position) {
            let index = UnsafeRawPointer(hit) - base
            let before = index == 0 ? previousByte : chunk[index - 1]
            if before != 0x0D { bareLineFeeds += 1 }
            position = index + 1
        }
        previousByte = chunk[chunk.count - 1]
    }
}
