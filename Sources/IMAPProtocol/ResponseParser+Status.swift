/// Status responses, tagged completions and continuation requests (RFC 3501 §7.1, §7.5).
extension ParseCursor {
    /// `response-tagged = tag SP resp-cond-state CRLF`; `tag = 1*<any ASTRING-CHAR except "+">`
    mutating func taggedResponse() throws -> TaggedResponse {
        let tag = try atom()
        try expectSpace()
        let word = try keyword()
        guard let status = ResponseStatus(rawValue: word), status == .ok || status == .no || status == .bad else {
            throw malformed("expected OK, NO or BAD after the tag, got \"\(word.prefix(16))\"")
        }
        return TaggedResponse(tag: tag, state: try statusResponse(status))
    }

    /// `resp-cond-state = ("OK" / "NO" / "BAD") SP resp-text`, `resp-cond-auth`, `resp-cond-bye`:
    /// everything after the condition keyword, CRLF included.
    mutating func statusResponse(_ status: ResponseStatus) throws -> StatusResponse {
        let (code, text) = try responseText()
        return StatusResponse(status: status, code: code, text: text)
    }

    /// `resp-text = ["[" resp-text-code "]" SP] text` — leniently: the SP and the text may be
    /// missing (`A1 OK`), and trailing spaces are dropped. Consumes the CRLF.
    mutating func responseText() throws -> (ResponseCode?, String) {
        if try atLineEnd() {
            try expectLineEnd()
            return (nil, "")
        }
        var code: ResponseCode?
        if try peek() == UInt8(ascii: "[") {
            code = try responseCode()
            try skipSpaces()
        }
        return (code, try rawTextLine())
    }

    /// `continue-req = "+" SP (resp-text / base64) CRLF` — the text after `+ `, which may be
    /// absent altogether (`+` CRLF).
    mutating func continuationRequest() throws -> String {
        try expect(UInt8(ascii: "+"), "'+'")
        _ = try consume(Self.space)
        return try rawTextLine()
    }

    /// `text = 1*TEXT-CHAR` up to CRLF (consumed), trailing spaces dropped, read as UTF-8.
    mutating func rawTextLine() throws -> String {
        let range = try scanToLineEnd()
        var upper = range.upperBound
        while upper > range.lowerBound, bytes[upper - 1] == Self.space { upper -= 1 }
        try expectLineEnd()
        return string(range.lowerBound..<upper)
    }
}
