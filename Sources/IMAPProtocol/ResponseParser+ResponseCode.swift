/// Response codes in status responses (RFC 3501 §7.1, RFC 4315 §3, RFC 5530, RFC 7162 §3.1).
extension ParseCursor {
    /// `"[" resp-text-code "]"`; an unknown code, or a known one whose arguments do not parse,
    /// becomes `.other(name, arguments)`. Without a closing `]` on the line, the `[` is left
    /// unconsumed and nil returned, so it reads as ordinary text.
    mutating func responseCode() throws -> ResponseCode? {
        let saved = self
        try expect(UInt8(ascii: "["), "'['")
        let name = try keyword()
        let afterName = self
        do {
            if let code = try knownCode(name) {
                try skipSpaces()
                try expect(UInt8(ascii: "]"), "']'")
                return code
            }
        } catch let error as IMAPProtocolError where error.code == .malformed {
            // Fall through to the raw form below.
        }
        self = afterName
        guard let arguments = try rawCodeArguments() else {
            self = saved
            return nil
        }
        return .other(name: name, arguments: arguments.isEmpty ? nil : arguments)
    }

    /// ```
    /// resp-text-code = "ALERT" / capability-data / "PARSE" / "PERMANENTFLAGS" SP "(" [flag-perm *(SP flag-perm)] ")" /
    ///                  "READ-ONLY" / "READ-WRITE" / "TRYCREATE" / "UIDNEXT" SP nz-number / "UIDVALIDITY" SP nz-number /
    ///                  "APPENDUID" SP nz-number SP append-uid / "COPYUID" SP nz-number SP uid-set SP uid-set /
    ///                  "HIGHESTMODSEQ" SP mod-sequence-value / "NOMODSEQ" / RFC 5530 codes / atom [SP 1*<any TEXT-CHAR except "]">]
    /// ```
    private mutating func knownCode(_ name: String) throws -> ResponseCode? {
        if let simple = Self.simpleCodes[name] { return simple }
        switch name {
        case "CAPABILITY":
            var capabilities: [Capability] = []
            while try consume(Self.space) {
                try skipSpaces()
                if try peek() == UInt8(ascii: "]") { break }
                capabilities.append(Capability(try atom(stoppingAtBracket: true)))
                try checkItemCount(capabilities.count)
            }
            return .capability(capabilities)
        case "PERMANENTFLAGS":
            try expectSpace()
            return .permanentFlags(try flagList(insideCode: true))
        case "UIDVALIDITY":
            try expectSpace()
            return .uidValidity(try number32())
        case "UIDNEXT":
            try expectSpace()
            return .uidNext(try number32())
        case "HIGHESTMODSEQ":
            try expectSpace()
            return .highestModSeq(try number64())
        case "APPENDUID":
            try expectSpace()
            let validity = try number32()
            try expectSpace()
            return .appendUID(uidValidity: validity, uids: try uidSet())
        case "COPYUID":
            try expectSpace()
            let validity = try number32()
            try expectSpace()
            let source = try uidSet()
            try expectSpace()
            return .copyUID(uidValidity: validity, source: source, destination: try uidSet())
        default:
            return nil
        }
    }

    private static let simpleCodes: [String: ResponseCode] = [
        "ALERT": .alert, "NOMODSEQ": .noModSeq, "TRYCREATE": .tryCreate, "READ-ONLY": .readOnly,
        "READ-WRITE": .readWrite, "PARSE": .parse, "TOOBIG": .tooBig, "OVERQUOTA": .overQuota,
        "UNAVAILABLE": .unavailable, "LIMIT": .limit, "INUSE": .inUse,
        "AUTHENTICATIONFAILED": .authenticationFailed, "AUTHORIZATIONFAILED": .authorizationFailed,
        "EXPIRED": .expired, "PRIVACYREQUIRED": .privacyRequired, "CONTACTADMIN": .contactAdmin,
        "SERVERBUG": .serverBug, "CANNOT": .cannot, "ALREADYEXISTS": .alreadyExists,
        "NONEXISTENT": .nonExistent,
    ]

    /// The text between the code name and `]` (quoted strings may hold `]`), consuming the
    /// `]`; nil when the line ends first.
    private mutating func rawCodeArguments() throws -> String? {
        try skipSpaces()
        let start = position
        var inQuotes = false
        while true {
            let byte = try peek()
            if byte == Self.cr || byte == Self.lf { return nil }
            position += 1
            if inQuotes {
                if byte == UInt8(ascii: "\\") { position += (try peek() == Self.cr) ? 0 : 1 }
                else if byte == UInt8(ascii: "\"") { inQuotes = false }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == UInt8(ascii: "]") {
                var upper = position - 1
                while upper > start, bytes[upper - 1] == Self.space { upper -= 1 }
                return string(start..<upper)
            }
        }
    }
}
