import NIOCore

/// The bytes of one message, pulled chunk by chunk so that no message is ever whole in
/// memory. `next()` returns nil at the end of the message.
public protocol MessageBodyReader {
    mutating func next() async throws -> ByteBuffer?
}

/// A body already in memory (small messages, the completion report, tests).
public struct InMemoryBody: MessageBodyReader {
    var buffer: ByteBuffer?

    public init(_ buffer: ByteBuffer) { self.buffer = buffer }

    public mutating func next() async throws -> ByteBuffer? {
        defer { buffer = nil }
        return buffer
    }
}
