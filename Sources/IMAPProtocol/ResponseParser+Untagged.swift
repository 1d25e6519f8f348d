/// Untagged responses other than FETCH bodies (RFC 3501 §7.2–7.4, RFC 5161, RFC 7162).
extension ParseCursor {
    /// What an untagged line turned out to be: a complete response, or the start of a FETCH
    /// whose attributes follow as separate events.
    enum UntaggedOutcome {
        case response(UntaggedResponse)
        case fetchStart(UInt32)
    }

    /// `response-data = "*" SP (resp-cond-state / resp-cond-bye / mailbox-data / message-data /
    ///                  capability-data / enable-data / id-response / namespace-response) CRLF`
    mutating func untaggedResponse() throws -> UntaggedOutcome {
        try expect(UInt8(ascii: "*"), "'*'")
        try expectSpace()
        if Self.isDigit(try peek()) { return try messageData() }
        let word = try keyword()
        if let status = ResponseStatus(rawValue: word) {
            return .response(.status(try statusResponse(status)))
        }
        switch word {
        case "CAPABILITY": return .response(.capability(try atomsToLineEnd().map(Capability.init)))
        case "ENABLED": return .response(.enabled(try atomsToLineEnd().map(Capability.init)))
        case "FLAGS":
            try expectSpace()
            let flags = try flagList()
            try expectLineEnd()
            return .response(.flags(flags))
        case "SEARCH": return .response(try searchResponse())
        case "VANISHED": return .response(try vanishedResponse())
        case "ID": return .response(.id(try idResponse()))
        case "LIST": return .response(.list(try mailboxList()))
        case "LSUB": return .response(.lsub(try mailboxList()))
        case "STATUS": return .response(.mailboxStatus(try mailboxStatus()))
        case "NAMESPACE": return .response(.namespace(try namespaceResponse()))
        default:
            _ = try consume(Self.space)
            return .response(.other(keyword: word, text: try rawRestOfResponse()))
        }
    }

    /// `message-data = nz-number SP ("EXPUNGE" / ("FETCH" SP msg-att))`;
    /// `mailbox-data =/ number SP "EXISTS" / number SP "RECENT"`. The FETCH case stops after `(`.
    private mutating func messageData() throws -> UntaggedOutcome {
        let number = try number32()
        try expectSpace()
        let word = try keyword()
        switch word {
        case "EXISTS", "RECENT", "EXPUNGE":
            try expectLineEnd()
            return .response(word == "EXISTS" ? .exists(number) : word == "RECENT" ? .recent(number) : .expunge(number))
        case "FETCH":
            try skipSpaces()
            try expect(UInt8(ascii: "("), "'(' after FETCH")
            return .fetchStart(number)
        default:
            _ = try consume(Self.space)
            let rest = try rawRestOfResponse()
            return .response(.other(keyword: word, text: rest.isEmpty ? "\(number)" : "\(number) \(rest)"))
        }
    }

    /// `capability-data = "CAPABILITY" *(SP capability)`; `enable-data = "ENABLED" *(SP capability)`
    private mutating func atomsToLineEnd() throws -> [String] {
        var atoms: [String] = []
        while try !atLineEnd() {
            atoms.append(try atom())
            try checkItemCount(atoms.count)
        }
        try expectLineEnd()
        return atoms
    }

    /// `search-response = "SEARCH" *(SP nz-number) [SP search-sort-mod-seq]`;
    /// `search-sort-mod-seq = "(" "MODSEQ" SP mod-sequence-value ")"` (RFC 7162 §3.1.5).
    /// Not bound by `maximumItemCount`: the line length bounds it.
    private mutating func searchResponse() throws -> UntaggedResponse {
        var numbers: [UInt32] = []
        var modSeq: UInt64?
        while try !atLineEnd() {
            if try peek() == UInt8(ascii: "(") {
                try enterList()
                guard try keyword() == "MODSEQ" else { throw malformed("expected MODSEQ") }
                try expectSpace()
                modSeq = try number64()
                try skipSpaces()
                guard try leaveList() else { throw malformed("expected ')'") }
            } else {
                numbers.append(try number32())
            }
        }
        try expectLineEnd()
        return .search(numbers, modSeq: modSeq)
    }

    /// `expunged-resp = "VANISHED" [SP "(EARLIER)"] SP known-uids` (RFC 7162 §3.2.10)
    private mutating func vanishedResponse() throws -> UntaggedResponse {
        try expectSpace()
        var earlier = false
        if try peek() == UInt8(ascii: "(") {
            try enterList()
            guard try keyword() == "EARLIER" else { throw malformed("expected EARLIER") }
            guard try leaveList() else { throw malformed("expected ')'") }
            earlier = true
            try expectSpace()
        }
        let uids = try uidSet()
        try expectLineEnd()
        return .vanished(earlier: earlier, uids: uids)
    }

    /// `id-response = "ID" SP id-params-list`; `id-params-list = "(" *(string SP nstring) ")" / nil`
    /// (RFC 2971 §3.2). Keys whose value is NIL are left out.
    private mutating func idResponse() throws -> [String: String] {
        try expectSpace()
        var values: [String: String] = [:]
        if try consumeNil() {
            try expectLineEnd()
            return values
        }
        try enterList()
        var count = 0
        while true {
            try skipSpaces()
            if try leaveList() { break }
            let key = String(decoding: try imapString(), as: UTF8.self)
            try expectSpace()
            if let value = try nstring() { values[key] = String(decoding: value, as: UTF8.self) }
            count += 1
            try checkItemCount(count)
        }
        try expectLineEnd()
        return values
    }
}
