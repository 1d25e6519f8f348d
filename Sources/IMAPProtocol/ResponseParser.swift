import NIOCore

/// Incremental parser of server responses (RFC 3501 §7, §9 grammar).
///
/// Feed it a buffer of received bytes; each `parse` call consumes one event's bytes and
/// returns it, or returns nil and consumes nothing more when it needs more bytes.
/// Message bodies in FETCH are returned as `.streamingBytes` chunks of whatever has
/// arrived, so a body is never buffered whole.
///
/// Keep feeding the same accumulating buffer: append received bytes at its end and call
/// `parse` until it returns nil. After a thrown error the stream is out of step and every
/// later call throws the same error; the connection should be closed.
public struct ResponseParser: Sendable {
    public let limits: ParserLimits
    private var state: State = .idle
    private var failure: IMAPProtocolError?
    /// Attributes and bodies of the FETCH response being parsed, bounded by `maximumItemCount`
    /// so that a FETCH response that never closes (its line restarting after every literal)
    /// still ends.
    private var fetchItems = 0
    /// Readable bytes the last attempt at the current response or FETCH item needed before
    /// it could get further (0 when unknown); below that, parsing again is pointless.
    private var needed = 0

    /// Where in the response stream the parser stands.
    private enum State: Sendable {
        /// Between responses.
        case idle
        /// Inside `* n FETCH (`, `lineBytes` of the current line already consumed.
        case fetchAttributes(lineBytes: Int)
        /// Inside a body literal with `remaining` payload bytes still to deliver.
        case streamingLiteral(remaining: Int)
        /// A body that was a quoted string, to deliver as one `.streamingBytes`.
        case streamingInline(ByteBuffer, lineBytes: Int)
        /// A body's bytes are all delivered; `.streamingEnd` comes next.
        case streamingEnd(lineBytes: Int)
    }

    public init(limits: ParserLimits = ParserLimits()) {
        self.limits = limits
    }

    /// True between responses: no FETCH response or body is partly parsed.
    public var isAtResponseBoundary: Bool {
        if case .idle = state { return true }
        return false
    }

    /// Parses the next event from `buffer`, consuming exactly its bytes; nil (consuming
    /// nothing) when `buffer` does not yet hold all of it. Throws `IMAPProtocolError`.
    private static let allocator = ByteBufferAllocator()

    public mutating func parse(_ buffer: inout ByteBuffer) throws -> ResponseEvent? {
        if let failure { throw failure }
        do {
            return try step(&buffer)
        } catch let error as IMAPProtocolError {
            failure = error
            throw error
        }
    }

    private mutating func step(_ buffer: inout ByteBuffer) throws -> ResponseEvent? {
        switch state {
        case .idle:
            return try parseResponse(&buffer)
        case .fetchAttributes(let lineBytes):
            return try parseFetchStep(&buffer, lineBytes: lineBytes)
        case .streamingLiteral(let remaining):
            if remaining == 0 {
                state = .fetchAttributes(lineBytes: 0)
                return .fetch(.streamingEnd)
            }
            let available = min(remaining, buffer.readableBytes)
            guard available > 0, let slice = buffer.readSlice(length: available) else { return nil }
            state = .streamingLiteral(remaining: remaining - available)
            // A copy, not the slice: while the chunk waits in the channel's queue, a slice
            // would pin the whole receive buffer (and the TLS layer's plaintext buffer behind
            // it), so that every later read needs a fresh allocation of its own.
            var chunk = Self.allocator.buffer(capacity: available)
            chunk.writeImmutableBuffer(slice)
            return .fetch(.streamingBytes(chunk))
        case .streamingInline(let bytes, let lineBytes):
            state = .streamingEnd(lineBytes: lineBytes)
            return .fetch(.streamingBytes(bytes))
        case .streamingEnd(let lineBytes):
            state = .fetchAttributes(lineBytes: lineBytes)
            return .fetch(.streamingEnd)
        }
    }

    /// `response = continue-req / response-data / response-tagged` (one line, with any
    /// literals it announces), or the start of a FETCH response.
    private mutating func parseResponse(_ buffer: inout ByteBuffer) throws -> ResponseEvent? {
        let limits = self.limits
        if buffer.readableBytes < needed || Self.certainlyIncomplete(buffer, limits: limits) {
            try Self.checkHeldBytes(buffer, limits: limits)
            return nil
        }
        var needed = 0
        let parsed: (ResponseEvent, Bool, Int, Int)? = try buffer.withUnsafeReadableBytes { bytes in
            var cursor = ParseCursor(bytes: bytes, limits: limits)
            do {
                try cursor.skipBlankLines()
                let event: ResponseEvent
                var fetchStarted = false
                switch try cursor.peek() {
                case UInt8(ascii: "+"):
                    event = .continuation(try cursor.continuationRequest())
                case UInt8(ascii: "*"):
                    switch try cursor.untaggedResponse() {
                    case .response(let response): event = .untagged(response)
                    case .fetchStart(let number):
                        event = .fetch(.start(number))
                        fetchStarted = true
                    }
                default:
                    event = .tagged(try cursor.taggedResponse())
                }
                return (event, fetchStarted, cursor.position, cursor.lineBytes)
            } catch let more as NeedMoreBytes {
                needed = more.atLeast
                return nil
            }
        }
        self.needed = needed
        guard let (event, fetchStarted, consumed, lineBytes) = parsed else {
            try Self.checkHeldBytes(buffer, limits: limits)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        if fetchStarted {
            state = .fetchAttributes(lineBytes: lineBytes)
            fetchItems = 0
        }
        return event
    }

    /// Called when the response at the front of `buffer` is incomplete: everything readable
    /// belongs to it, so more than `maximumResponseSize` bytes means it is too large to hold.
    private static func checkHeldBytes(_ buffer: ByteBuffer, limits: ParserLimits) throws {
        guard buffer.readableBytes > limits.maximumResponseSize else { return }
        throw IMAPProtocolError(.responseTooLarge,
            "A response needs more than \(limits.maximumResponseSize) bytes held at once (ParserLimits.maximumResponseSize).")
    }

    /// One attribute, body announcement or the closing parenthesis of a FETCH response.
    private mutating func parseFetchStep(_ buffer: inout ByteBuffer, lineBytes: Int) throws -> ResponseEvent? {
        let limits = self.limits
        if buffer.readableBytes < needed {
            try Self.checkHeldBytes(buffer, limits: limits)
            return nil
        }
        var needed = 0
        let parsed: (ParseCursor.FetchStep, Int, Int)? = try buffer.withUnsafeReadableBytes { bytes in
            var cursor = ParseCursor(bytes: bytes, limits: limits, lineStart: -lineBytes)
            do {
                let step = try cursor.fetchStep()
                return (step, cursor.position, cursor.lineBytes)
            } catch let more as NeedMoreBytes {
                needed = more.atLeast
                return nil
            }
        }
        self.needed = needed
        guard let (step, consumed, newLineBytes) = parsed else {
            try Self.checkHeldBytes(buffer, limits: limits)
            return nil
        }
        buffer.moveReaderIndex(forwardBy: consumed)
        if case .finish = step {} else {
            fetchItems += 1
            guard fetchItems <= limits.maximumItemCount else {
                throw IMAPProtocolError(.tooManyItems,
                    "A FETCH response holds more than \(limits.maximumItemCount) items (ParserLimits.maximumItemCount).")
            }
        }
        switch step {
        case .attribute(let attribute):
            state = .fetchAttributes(lineBytes: newLineBytes)
            return .fetch(.attribute(attribute))
        case .literalBody(let kind, let count):
            state = .streamingLiteral(remaining: count)
            return .fetch(.streamingBegin(kind, byteCount: count))
        case .inlineBody(let kind, let bytes):
            let count = bytes?.count ?? 0
            state = count > 0
                ? .streamingInline(ByteBuffer(bytes: bytes ?? []), lineBytes: newLineBytes)
                : .streamingEnd(lineBytes: newLineBytes)
            return .fetch(.streamingBegin(kind, byteCount: count))
        case .finish:
            state = .idle
            return .fetch(.finish)
        }
    }

    /// A cheap check that spares re-parsing a long line on every arrival: with no LF at all,
    /// no response can be complete. (Small buffers are parsed anyway, so that errors in them
    /// surface at once; a line past the limit is left to the parser to report.)
    private static func certainlyIncomplete(_ buffer: ByteBuffer, limits: ParserLimits) -> Bool {
        let readable = buffer.readableBytes
        guard readable > 4096 else { return readable == 0 }
        let window = min(readable, limits.maximumLineLength &+ 2)
        guard window == readable else { return false }
        return buffer.withUnsafeReadableBytes { bytes in
            !bytes.contains(ParseCursor.lf)
        }
    }
}
