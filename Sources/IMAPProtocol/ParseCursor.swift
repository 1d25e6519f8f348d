/// Thrown inside the parser when the bytes end before the current unit does; never escapes
/// `ResponseParser.parse`, which turns it into "nil, consumed nothing". `atLeast` is how many
/// readable bytes the same parse needs before it can get further, so that the parser need
/// not start again on every arrival while a long literal comes in.
struct NeedMoreBytes: Error {
    var atLeast: Int
}

/// A read position over the readable bytes of one `parse` call, enforcing the line-length and
/// nesting limits on every byte it hands out. Positions are offsets from the reader index.
struct ParseCursor {
    let bytes: UnsafeRawBufferPointer
    let limits: ParserLimits
    var position = 0
    /// Offset where the current line began; negative when part of the line was consumed by
    /// earlier events (a FETCH response spans several events). Literal payloads start a new line.
    var lineStart: Int
    /// Parenthesised lists currently open.
    var depth = 0

    init(bytes: UnsafeRawBufferPointer, limits: ParserLimits, lineStart: Int = 0) {
        self.bytes = bytes
        self.limits = limits
        self.lineStart = lineStart
    }

    static let cr = UInt8(ascii: "\r")
    static let lf = UInt8(ascii: "\n")
    static let space = UInt8(ascii: " ")

    var end: Int { bytes.count }

    /// Bytes of the current line seen so far, for carrying the count across events.
    var lineBytes: Int { position - lineStart }

    /// The next byte, without consuming it. Any byte past `maximumLineLength` on a line that is
    /// not its CR or LF throws `lineTooLong`, whether or not the line's end has arrived.
    func peek() throws -> UInt8 {
        guard position < end else { throw NeedMoreBytes(atLeast: end + 1) }
        let byte = bytes[position]
        if position - lineStart >= limits.maximumLineLength, byte != Self.cr, byte != Self.lf {
            throw lineTooLong()
        }
        return byte
    }

    func lineTooLong() -> IMAPProtocolError {
        IMAPProtocolError(.lineTooLong,
            "A response line is longer than \(limits.maximumLineLength) bytes (ParserLimits.maximumLineLength).")
    }

    mutating func next() throws -> UInt8 {
        let byte = try peek()
        position += 1
        return byte
    }

    /// True (and consumed) when the next byte is `byte`.
    mutating func consume(_ byte: UInt8) throws -> Bool {
        guard try peek() == byte else { return false }
        position += 1
        return true
    }

    mutating func expect(_ byte: UInt8, _ what: @autoclosure () -> String) throws {
        guard try next() == byte else {
            position -= 1
            throw malformed("expected \(what())")
        }
    }

    /// Lenient separator: at least one SP, and any further ones are skipped.
    mutating func expectSpace() throws {
        try expect(Self.space, "a space")
        try skipSpaces()
    }

    mutating func skipSpaces() throws {
        while try peek() == Self.space { position += 1 }
    }

    /// True when the next non-space byte ends the line (spaces are consumed).
    mutating func atLineEnd() throws -> Bool {
        try skipSpaces()
        let byte = try peek()
        return byte == Self.cr || byte == Self.lf
    }

    /// `CRLF` (a bare LF is tolerated), after optional trailing spaces. Starts a new line.
    mutating func expectLineEnd() throws {
        try skipSpaces()
        switch try next() {
        case Self.cr: try expect(Self.lf, "LF after CR")
        case Self.lf: break
        default:
            position -= 1
            throw malformed("expected the end of the line")
        }
        lineStart = position
    }

    /// The range of bytes up to (not including) the line's CR or LF, which is not consumed.
    mutating func scanToLineEnd() throws -> Range<Int> {
        let start = position
        let limit = lineStart + limits.maximumLineLength
        var index = position
        while true {
            guard index < end else { throw NeedMoreBytes(atLeast: end + 1) }
            let byte = bytes[index]
            if byte == Self.cr || byte == Self.lf { break }
            if index >= limit { throw lineTooLong() }
            index += 1
        }
        position = index
        return start..<index
    }

    func slice(_ range: Range<Int>) -> [UInt8] { Array(bytes[range]) }

    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Opens a parenthesised list, enforcing `maximumNestingDepth`.
    mutating func enterList() throws {
        try expect(UInt8(ascii: "("), "'('")
        depth += 1
        guard depth <= limits.maximumNestingDepth else {
            throw IMAPProtocolError(.nestingTooDeep,
                "Lists are nested deeper than \(limits.maximumNestingDepth) levels (ParserLimits.maximumNestingDepth).")
        }
    }

    /// Closes a list opened by `enterList` when the next byte is ')'.
    mutating func leaveList() throws -> Bool {
        guard try consume(UInt8(ascii: ")")) else { return false }
        depth -= 1
        return true
    }

    /// Enforces `maximumItemCount` on a list that now holds `count` items.
    func checkItemCount(_ count: Int) throws {
        guard count <= limits.maximumItemCount else {
            throw IMAPProtocolError(.tooManyItems,
                "A list holds more than \(limits.maximumItemCount) items (ParserLimits.maximumItemCount).")
        }
    }

    /// A `malformed` error naming what was expected, with the bytes around the position.
    func malformed(_ reason: String) -> IMAPProtocolError {
        let from = max(0, max(lineStart, position - 24))
        let to = min(end, position + 24)
        var excerpt = ""
        for index in from..<max(from, to) {
            if index == position { excerpt += "⟨here⟩" }
            let byte = bytes[index]
            switch byte {
            case Self.cr: excerpt += "\\r"
            case Self.lf: excerpt += "\\n"
            case 0x20..<0x7F: excerpt.append(Character(Unicode.Scalar(byte)))
            default: excerpt += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
            }
        }
        if position >= to { excerpt += "⟨here⟩" }
        return IMAPProtocolError(.malformed, "Malformed server response: \(reason), near \"\(excerpt)\".")
    }
}

extension ParseCursor {
    /// Empty lines between responses are skipped (some servers send them).
    mutating func skipBlankLines() throws {
        while true {
            let byte = try peek()
            if byte == Self.lf {
                position += 1
            } else if byte == Self.cr {
                position += 1
                try expect(Self.lf, "LF after CR")
            } else {
                lineStart = position
                return
            }
        }
    }
}
