/// Values the parser does not model (ENVELOPE, BODYSTRUCTURE, X-GM-LABELS, unknown response
/// codes and untagged responses) are skipped by their generic shape and kept as raw text.
/// A literal inside such a value is rendered inline as a quoted string, so the text stays on
/// one line: `{5}CRLF hello` becomes `"hello"`.
extension ParseCursor {
    /// `value = "(" [value *(SP value)] ")" / string / literal8 / atom / number / nil`
    /// (the generic shape of RFC 3501 §9 body structures, envelopes and extension data).
    mutating func rawValue(into out: inout [UInt8]) throws {
        let byte = try peek()
        switch byte {
        case UInt8(ascii: "("):
            try enterList()
            out.append(byte)
            var count = 0
            while true {
                try skipSpaces()
                if try leaveList() {
                    out.append(UInt8(ascii: ")"))
                    return
                }
                if count > 0 { out.append(Self.space) }
                count += 1
                try checkItemCount(count)
                try rawValue(into: &out)
            }
        case UInt8(ascii: "\""):
            let start = position
            _ = try quoted()
            out.append(contentsOf: bytes[start..<position])
        case UInt8(ascii: "{"), UInt8(ascii: "~"):
            Self.appendQuoted(bytes[try bufferedLiteral()], to: &out)
        default:
            out.append(contentsOf: bytes[try scan("a value", while: Self.isTokenByte)])
        }
    }

    /// The rest of the response as raw text (trailing spaces dropped), following literals
    /// announced at line ends; consumes the final CRLF.
    mutating func rawRestOfResponse() throws -> String {
        var out: [UInt8] = []
        while true {
            let range = try scanToLineEnd()
            if let (markerStart, count) = try trailingLiteral(in: range) {
                out.append(contentsOf: bytes[range.lowerBound..<markerStart])
                try expectLineEnd()
                Self.appendQuoted(bytes[try literalPayload(count)], to: &out)
                continue
            }
            var upper = range.upperBound
            while upper > range.lowerBound, bytes[upper - 1] == Self.space { upper -= 1 }
            out.append(contentsOf: bytes[range.lowerBound..<upper])
            try expectLineEnd()
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// A `{n}`, `{n+}` or `~{n}` right at the end of `range`: where it starts and its size.
    private func trailingLiteral(in range: Range<Int>) throws -> (Int, Int)? {
        guard let last = range.last, bytes[last] == UInt8(ascii: "}") else { return nil }
        var index = last - 1
        if index >= range.lowerBound, bytes[index] == UInt8(ascii: "+") { index -= 1 }
        let digitsEnd = index + 1
        while index >= range.lowerBound, Self.isDigit(bytes[index]) { index -= 1 }
        guard index >= range.lowerBound, index + 1 < digitsEnd, bytes[index] == UInt8(ascii: "{") else { return nil }
        var count = 0
        for digit in bytes[(index + 1)..<digitsEnd] {
            let (times, overflow1) = count.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(digit - UInt8(ascii: "0")))
            guard !overflow1, !overflow2, sum <= limits.maximumBufferedLiteralSize else {
                throw IMAPProtocolError(.literalTooLarge,
                    "The server announced a literal larger than \(limits.maximumBufferedLiteralSize) bytes "
                        + "(ParserLimits.maximumBufferedLiteralSize).")
            }
            count = sum
        }
        if index > range.lowerBound, bytes[index - 1] == UInt8(ascii: "~") { index -= 1 }
        return (index, count)
    }

    /// Appends `value` as a quoted string, escaping `\` and `"`.
    static func appendQuoted<C: Collection>(_ value: C, to out: inout [UInt8]) where C.Element == UInt8 {
        out.append(UInt8(ascii: "\""))
        var start = value.startIndex
        // Runs without a quote or backslash are copied whole.
        while let special = value[start...].firstIndex(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            out.append(contentsOf: value[start..<special])
            out.append(UInt8(ascii: "\\"))
            out.append(value[special])
            start = value.index(after: special)
        }
        out.append(contentsOf: value[start...])
        out.append(UInt8(ascii: "\""))
    }
}
