import NIOCore

/// Bytes to send for one command, split where the client must wait for the server's `+`
/// continuation before going on (synchronising literals, RFC 3501 §7.5).
public struct EncodedCommand: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case bytes(ByteBuffer)
        /// Wait for `S: + ...` before sending the following parts.
        case waitForContinuation
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }
}
