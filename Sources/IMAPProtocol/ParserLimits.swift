/// Bounds on what the response parser accepts, so that a hostile server cannot make it use
/// unbounded memory or time. Each exceeded bound is an `IMAPProtocolError`.
public struct ParserLimits: Hashable, Sendable {
    /// Longest response line (excluding literal payloads) in bytes. Default 1 MiB.
    public var maximumLineLength: Int
    /// Largest literal accepted for a streamed message body. Default 2 GiB.
    public var maximumLiteralSize: Int
    /// Largest literal accepted for anything that is not a streamed body (mailbox names,
    /// header fields, unknown attributes): such literals are buffered. Default 1 MiB.
    public var maximumBufferedLiteralSize: Int
    /// Deepest nesting of parenthesised lists. Default 64.
    public var maximumNestingDepth: Int
    /// Most items in one list (flags, capabilities, attributes, and the attributes of one
    /// FETCH response). Default 10,000.
    public var maximumItemCount: Int
    /// Most bytes held for one response that is not a streamed body: its lines and buffered
    /// literals together (each line and literal also has its own limit; this one stops a
    /// response made of endless literals, and bounds the re-parsing of an incomplete one as
    /// its bytes arrive). Default 4 MiB: a line and a buffered literal at their limits, twice.
    public var maximumResponseSize: Int

    public init(
        maximumLineLength: Int = 1 << 20,
        maximumLiteralSize: Int = 1 << 31,
        maximumBufferedLiteralSize: Int = 1 << 20,
        maximumNestingDepth: Int = 64,
        maximumItemCount: Int = 10_000,
        maximumResponseSize: Int = 4 << 20
    ) {
        self.maximumLineLength = maximumLineLength
        self.maximumLiteralSize = maximumLiteralSize
        self.maximumBufferedLiteralSize = maximumBufferedLiteralSize
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumItemCount = maximumItemCount
        self.maximumResponseSize = maximumResponseSize
    }
}
