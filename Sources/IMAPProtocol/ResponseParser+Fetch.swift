/// FETCH attributes (RFC 3501 §7.4.2, RFC 3516, RFC 7162 §3.1.4), one per event.
extension ParseCursor {
    /// The next thing inside `* n FETCH (...)`.
    enum FetchStep {
        case attribute(FetchAttribute)
        /// A body literal announcement was consumed; `count` payload bytes follow.
        case literalBody(StreamingKind, count: Int)
        /// A body sent as a quoted string, or NIL (nil), already read whole.
        case inlineBody(StreamingKind, [UInt8]?)
        /// The closing `)` and CRLF.
        case finish
    }

    /// ```
    /// msg-att = "(" (msg-att-dynamic / msg-att-static) *(SP (msg-att-dynamic / msg-att-static)) ")"
    /// msg-att-dynamic = "FLAGS" SP "(" [flag-fetch *(SP flag-fetch)] ")" / fetch-mod-resp
    /// msg-att-static  = "ENVELOPE" SP envelope / "INTERNALDATE" SP date-time / "RFC822" [".HEADER" / ".TEXT"] SP nstring /
    ///                   "RFC822.SIZE" SP number / "BODY" ["STRUCTURE"] SP body /
    ///                   "BODY" section ["<" number ">"] SP nstring / "UID" SP uniqueid /
    ///                   "BINARY" section-binary SP (nstring / literal8)
    /// fetch-mod-resp  = "MODSEQ" SP "(" permsg-modsequence ")"
    /// ```
    /// Anything else is read by its generic shape into `.other`.
    mutating func fetchStep() throws -> FetchStep {
        try skipSpaces()
        if try consume(UInt8(ascii: ")")) {
            try expectLineEnd()
            return .finish
        }
        let (name, streamingKind) = try fetchAttributeName()
        try skipSpaces()
        if let streamingKind { return try streamingValue(streamingKind) }
        switch name {
        case "UID": return .attribute(.uid(try number32()))
        case "FLAGS": return .attribute(.flags(try flagList()))
        case "RFC822.SIZE": return .attribute(.rfc822Size(try number64()))
        case "INTERNALDATE": return .attribute(try internalDate())
        case "MODSEQ":
            try enterList()
            try skipSpaces()
            let value = try number64()
            try skipSpaces()
            guard try leaveList() else { throw malformed("expected ')' after the MODSEQ value") }
            return .attribute(.modSeq(value))
        default:
            var value: [UInt8] = []
            try rawValue(into: &value)
            return .attribute(.other(name: name, value: String(decoding: value, as: UTF8.self)))
        }
    }

    /// The attribute name: an atom, then for BODY/BINARY a `section` and an optional `<origin>`.
    /// Returns the name (atom part uppercased) and, for streamed items, what they carry.
    ///
    /// `section = "[" [section-spec] "]"`; `section-binary = "[" [section-part] "]"`
    private mutating func fetchAttributeName() throws -> (String, StreamingKind?) {
        let atomRange = try scan("a FETCH attribute name") {
            Self.isTokenByte($0) && $0 != UInt8(ascii: "[") && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: "]")
        }
        let base = string(atomRange).uppercased()
        guard try consume(UInt8(ascii: "[")) else {
            let kind: StreamingKind? = ["RFC822", "RFC822.HEADER", "RFC822.TEXT"].contains(base) ? .rfc822(base) : nil
            return (base, kind)
        }
        let section = try sectionText()
        var origin: UInt32?
        if try consume(UInt8(ascii: "<")) {
            origin = try number32()
            try expect(UInt8(ascii: ">"), "'>' after the origin")
        }
        let name = base + string(atomRange.upperBound..<position)
        switch base {
        case "BODY": return (name, .body(section: section, offset: origin))
        case "BINARY": return (name, .binary(section: section, offset: origin))
        default: return (name, nil)
        }
    }

    /// The text between `[` (already consumed) and the matching `]`, which is consumed.
    private mutating func sectionText() throws -> String {
        let start = position
        var inQuotes = false
        while true {
            let byte = try peek()
            if byte == Self.cr || byte == Self.lf { throw malformed("expected ']' to close the section") }
            position += 1
            if inQuotes {
                if byte == UInt8(ascii: "\\") { _ = try next() } else if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "]") {
                return string(start..<position - 1)
            }
        }
    }

    /// `nstring / literal8` of a streamed item.
    private mutating func streamingValue(_ kind: StreamingKind) throws -> FetchStep {
        if try atLiteral() {
            let count = try literalHeader(maximum: limits.maximumLiteralSize, limitName: "maximumLiteralSize")
            return .literalBody(kind, count: count)
        }
        if try peek() == UInt8(ascii: "\"") { return .inlineBody(kind, try quoted()) }
        if try consumeNil() { return .inlineBody(kind, nil) }
        throw malformed("expected a literal, a quoted string or NIL as the body")
    }

    /// `"INTERNALDATE" SP date-time` — a value that is not a valid date-time is kept as `.other`
    /// rather than failing the whole FETCH.
    private mutating func internalDate() throws -> FetchAttribute {
        if try peek() == UInt8(ascii: "\"") {
            let start = position
            let text = String(decoding: try quoted(), as: UTF8.self)
            if let date = try? InternalDate(parsing: text) { return .internalDate(date) }
            return .other(name: "INTERNALDATE", value: string(start..<position))
        }
        var value: [UInt8] = []
        try rawValue(into: &value)
        return .other(name: "INTERNALDATE", value: String(decoding: value, as: UTF8.self))
    }
}
