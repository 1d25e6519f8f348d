import Crypto

/// SHA-256 of a message with every bare LF counted as CRLF: servers that store bare-LF
/// messages may serve them with CRLF, and a copy must still be recognised as the same mail.
struct CRLFHash {
    private var hasher = SHA256()
    private var previous: UInt8 = 0

    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        var start = 0
        for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "\n") {
            let before = index > 0 ? bytes[index - 1] : previous
            if before != UInt8(ascii: "\r") {
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
                hasher.update(data: [UInt8(ascii: "\r")])
                start = index
            }
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: bytes[start..<bytes.count]))
        if bytes.count > 0 { previous = bytes[bytes.count - 1] }
    }

    func finalize() -> String {
        hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
