import NIOCore

/// Incremental parser of server responses (RFC 3501 §7, §9 grammar).
///
/// Feed it a buffer of received bytes; each `parse` call consumes one event's bytes and
/// returns it, or returns nil and consumes nothing more when it needs more bytes.
/// Message bodies in FETCH are returned as `.streamingBytes` chunks of whatever has
/// arrived, so a body is never buffered whole.
public struct ResponseParser: Sendable {
    public let limits: ParserLimits

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }
}
