import NIOCore

/// Splits what an IMAP client sends into CRLF lines and literal bytes (RFC 3501 §4.3, §7.5;
/// non-synchronizing literals RFC 7888).
///
/// A line ending in `{n}` (synchronizing) makes the next n bytes literal data only after the
/// server has sent a continuation (`+ …`), reported with `continuationSent()`; until then the
/// client may abandon the command and send a new line. A line ending in `{n+}` makes them
/// literal data at once. Literal bytes are reported in chunks as they arrive, so a reader may
/// stop in the middle of one.
///
/// `C: A1 APPEND INBOX {5}` → `.line`, then after `S: + go ahead`, `C: hello` → `.literal`,
/// `C: ` (CRLF) → `.line("", startsCommand: false)`.
struct ClientInputFramer {
    enum Event: Equatable {
        /// One line without its CRLF; `startsCommand` is false for the rest of a command after
        /// a literal.
        case line(String, startsCommand: Bool)
        /// Literal bytes; `isLast` when they complete the literal.
        case literal([UInt8], isLast: Bool)
    }

    enum State: Equatable {
        case lines(startsCommand: Bool)
        /// A synchronizing literal was announced; the server has not sent `+` yet.
        case awaitingContinuation(count: Int)
        case literal(remaining: Int)
    }

    private(set) var state: State = .lines(startsCommand: true)
    private var buffer = ByteBuffer()
    let maximumLineLength: Int

    init(maximumLineLength: Int = 1 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    mutating func feed(_ bytes: ByteBuffer) {
        var bytes = bytes
        buffer.writeBuffer(&bytes)
    }

    /// The server sent a continuation request: a pending synchronizing literal starts now.
    mutating func continuationSent() {
        if case .awaitingContinuation(let count) = state {
            state = count == 0 ? .lines(startsCommand: false) : .literal(remaining: count)
        }
    }

    /// True when the last line announced a synchronizing literal still waiting for `+`.
    var awaitsContinuation: Bool {
        if case .awaitingContinuation = state { return true }
        return false
    }

    /// The next complete event, nil when more bytes are needed. Throws when a line passes
    /// `maximumLineLength`.
    mutating func next() throws -> Event? {
        switch state {
        case .literal(let remaining):
            guard buffer.readableBytes > 0 else { return nil }
            let count = min(remaining, buffer.readableBytes)
            let bytes = buffer.readBytes(length: count) ?? []
            let left = remaining - count
            state = left == 0 ? .lines(startsCommand: false) : .literal(remaining: left)
            return .literal(bytes, isLast: left == 0)
        case .lines(let startsCommand):
            return try nextLine(startsCommand: startsCommand)
        case .awaitingContinuation:
            // The client gave up on the literal and sent a new command.
            return try nextLine(startsCommand: true)
        }
    }

    private mutating func nextLine(startsCommand: Bool) throws -> Event? {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > maximumLineLength {
                throw TestSupportError(.protocolViolation, "client line longer than \(maximumLineLength) bytes")
            }
            return nil
        }
        var bytes = buffer.readBytes(length: newline - buffer.readerIndex + 1) ?? []
        bytes.removeLast()
        if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
        let line = String(decoding: bytes, as: UTF8.self)
        if let literal = Self.literalAnnouncement(line) {
            if literal.synchronizing {
                state = .awaitingContinuation(count: literal.count)
            } else {
                state = literal.count == 0 ? .lines(startsCommand: false) : .literal(remaining: literal.count)
            }
        } else {
            state = .lines(startsCommand: true)
        }
        return .line(line, startsCommand: startsCommand)
    }

    /// `{n}` / `{n+}` / `~{n}` at the end of a line (RFC 3501 §4.3, RFC 7888, RFC 3516).
    static func literalAnnouncement(_ line: String) -> (count: Int, synchronizing: Bool)? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        let synchronizing = !digits.hasSuffix("+")
        if !synchronizing { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.unicodeScalars.allSatisfy({ $0.properties.numericType == .decimal && $0.isASCII }),
              let count = Int(digits) else { return nil }
        return (count, synchronizing)
    }
}
