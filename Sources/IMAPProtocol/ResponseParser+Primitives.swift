/// The lexical rules of RFC 3501 §9 shared by every response: atoms, numbers, strings,
/// literals, flags and UID sets. Lenient where real servers are: 8-bit bytes and `]` inside
/// atoms, bare LF line ends, repeated spaces.
extension ParseCursor {
    static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Bytes that may appear in an atom-like token: anything but SP, CTL, `(`, `)` and `"`.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte != 0x7F else { return false }
        return byte != UInt8(ascii: "(") && byte != UInt8(ascii: ")") && byte != UInt8(ascii: "\"")
    }

    /// Consumes one or more bytes matching `predicate`; throws `malformed` when there is none.
    mutating func scan(_ what: @autoclosure () -> String, while predicate: (UInt8) -> Bool) throws -> Range<Int> {
        let start = position
        while predicate(try peek()) { position += 1 }
        guard position > start else { throw malformed("expected \(what())") }
        return start..<position
    }

    /// `atom = 1*ATOM-CHAR` (leniently: any token byte, optionally stopping at `]`).
    mutating func atom(stoppingAtBracket: Bool = false) throws -> String {
        let range = try scan("an atom") { Self.isTokenByte($0) && !(stoppingAtBracket && $0 == UInt8(ascii: "]")) }
        return string(range)
    }

    /// An atom compared case-insensitively: the response keywords (`OK`, `FETCH`, `EXISTS`…).
    mutating func keyword() throws -> String {
        let range = try scan("a keyword") {
            Self.isTokenByte($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "]")
        }
        return string(range).uppercased()
    }

    /// `number = 1*DIGIT` limited to 32 bits (`nz-number`, `uniqueid`, sequence numbers).
    mutating func number32() throws -> UInt32 {
        let value = try number64()
        guard let narrowed = UInt32(exactly: value) else { throw malformed("number \(value) exceeds 32 bits") }
        return narrowed
    }

    /// `number64 = 1*DIGIT` (RFC 9051; mod-sequence values and sizes).
    mutating func number64() throws -> UInt64 {
        let range = try scan("a number", while: Self.isDigit)
        var value: UInt64 = 0
        for index in range {
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { throw malformed("number exceeds 64 bits") }
            value = sum
        }
        return value
    }

    /// `quoted = DQUOTE *QUOTED-CHAR DQUOTE`; `QUOTED-CHAR = <any TEXT-CHAR except quoted-specials> / "\" quoted-specials`
    mutating func quoted() throws -> [UInt8] {
        try expect(UInt8(ascii: "\""), "'\"'")
        var value: [UInt8] = []
        while true {
            let byte = try next()
            switch byte {
            case UInt8(ascii: "\""):
                return value
            case UInt8(ascii: "\\"):
                let escaped = try next()
                guard escaped != Self.cr, escaped != Self.lf else {
                    position -= 1
                    throw malformed("line break inside a quoted string")
                }
                value.append(escaped)
            case Self.cr, Self.lf:
                position -= 1
                throw malformed("line break inside a quoted string")
            default:
                value.append(byte)
            }
        }
    }

    /// `literal = "{" number "}" CRLF *CHAR8`; `literal8 = "~{" number "}" CRLF *OCTET` (RFC 3516).
    /// Reads the announcement up to its CRLF and returns the byte count, which must not exceed
    /// `maximum` (else `literalTooLarge`, thrown as soon as the digits pass it). A `+` before
    /// `}` is tolerated.
    mutating func literalHeader(maximum: Int, limitName: String) throws -> Int {
        _ = try consume(UInt8(ascii: "~"))
        try expect(UInt8(ascii: "{"), "'{'")
        let start = position
        var count = 0
        while Self.isDigit(try peek()) {
            let (times, overflow1) = count.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[position] - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= maximum else {
                throw IMAPProtocolError(.literalTooLarge,
                    "The server announced a literal larger than \(maximum) bytes (ParserLimits.\(limitName)).")
            }
            count = sum
            position += 1
        }
        guard position > start else { throw malformed("expected the size of a literal") }
        _ = try consume(UInt8(ascii: "+"))
        try expect(UInt8(ascii: "}"), "'}'")
        if try consume(Self.cr) {
            try expect(Self.lf, "LF after the literal size")
        } else {
            try expect(Self.lf, "CRLF after the literal size")
        }
        lineStart = position
        return count
    }

    /// The `count` bytes of a literal payload; the line goes on after them.
    mutating func literalPayload(_ count: Int) throws -> Range<Int> {
        guard end - position >= count else { throw NeedMoreBytes(atLeast: position + count) }
        let range = position..<position + count
        position += count
        lineStart = position
        return range
    }

    /// A literal that is not a streamed body: held in memory, at most `maximumBufferedLiteralSize`.
    mutating func bufferedLiteral() throws -> Range<Int> {
        let count = try literalHeader(maximum: limits.maximumBufferedLiteralSize, limitName: "maximumBufferedLiteralSize")
        return try literalPayload(count)
    }

    /// True when the next byte starts a literal (`{` or `~{`).
    func atLiteral() throws -> Bool {
        let byte = try peek()
        return byte == UInt8(ascii: "{") || byte == UInt8(ascii: "~")
    }

    /// `string = quoted / literal`
    mutating func imapString() throws -> [UInt8] {
        if try peek() == UInt8(ascii: "\"") { return try quoted() }
        guard try atLiteral() else { throw malformed("expected a string") }
        return slice(try bufferedLiteral())
    }

    /// `astring = 1*ASTRING-CHAR / string` (also used for `mailbox`).
    mutating func astring() throws -> [UInt8] {
        let byte = try peek()
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{") { return try imapString() }
        return slice(try scan("an astring", while: Self.isTokenByte))
    }

    /// `nstring = string / nil`
    mutating func nstring() throws -> [UInt8]? {
        let byte = try peek()
        if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "{") || byte == UInt8(ascii: "~") {
            return try imapString()
        }
        guard try keyword() == "NIL" else { throw malformed("expected a string or NIL") }
        return nil
    }

    /// True (and consumed) when the next token is `NIL`.
    mutating func consumeNil() throws -> Bool {
        guard (try peek() | 0x20) == UInt8(ascii: "n") else { return false }
        let saved = position
        if try keyword() == "NIL" { return true }
        position = saved
        return false
    }

    /// `flag-list = "(" [flag *(SP flag)] ")"`; also `flag-perm` (`\*`) and `flag-fetch` (`\Recent`).
    /// Inside a response code a flag ends at `]`; elsewhere `]` is tolerated within a keyword.
    mutating func flagList(insideCode: Bool = false) throws -> [Flag] {
        try enterList()
        var flags: [Flag] = []
        while true {
            try skipSpaces()
            if try leaveList() { return flags }
            flags.append(Flag(try atom(stoppingAtBracket: insideCode)))
            try checkItemCount(flags.count)
        }
    }

    /// `uid-set = (uniqueid / uid-range) *("," uid-set)`; `uid-range = uniqueid ":" uniqueid`
    /// (RFC 4315 §4). `*` is read as the largest UID.
    mutating func uidSet() throws -> [UIDRange] {
        var ranges: [UIDRange] = []
        repeat {
            let low = try uidValue()
            ranges.append(try consume(UInt8(ascii: ":")) ? UIDRange(low, try uidValue()) : UIDRange(low))
        } while try consume(UInt8(ascii: ","))
        return ranges
    }

    private mutating func uidValue() throws -> UInt32 {
        if try consume(UInt8(ascii: "*")) { return UInt32.max }
        return try number32()
    }
}
