/// The grammar of each command imapcrate sends (RFC 3501 §6, RFC 2971, RFC 4959, RFC 4978,
/// RFC 5161, RFC 5258, RFC 6154, RFC 7162), written after the tag and before the CRLF.
extension CommandWriter {
    mutating func command(_ command: Command) throws {
        switch command {
        case .capability: raw("CAPABILITY")
        case .noop: raw("NOOP")
        case .logout: raw("LOGOUT")
        case .startTLS: raw("STARTTLS")
        case .namespace: raw("NAMESPACE")
        case .compressDeflate: raw("COMPRESS DEFLATE")
        case .login(let username, let password):
            // login = "LOGIN" SP userid SP password
            raw("LOGIN ")
            try astring(Array(username.utf8))
            space()
            try astring(Array(password.utf8))
        case .authenticate(let mechanism, let initialResponse):
            // authenticate = "AUTHENTICATE" SP auth-type [SP (base64 / "=")]   (RFC 4959)
            raw("AUTHENTICATE ")
            try atom(mechanism, what: "SASL mechanism")
            if let initialResponse {
                space()
                try atom(initialResponse.isEmpty ? "=" : initialResponse, what: "SASL initial response")
            }
        case .enable(let capabilities):
            // enable = "ENABLE" 1*(SP capability)   (RFC 5161)
            raw("ENABLE")
            for capability in capabilities {
                space()
                try atom(capability.rawValue, what: "capability")
            }
        case .id(let parameters):
            try id(parameters)
        case .list(let reference, let pattern, let returnOptions):
            // list = "LIST" SP mailbox SP list-mailbox [SP list-return-opts]   (RFC 5258)
            raw("LIST ")
            try mailbox(reference)
            space()
            try mailbox(pattern)
            if !returnOptions.isEmpty {
                raw(" RETURN (")
                try spaced(returnOptions) { try $0.atom($1, what: "LIST return option") }
                raw(")")
            }
        case .lsub(let reference, let pattern):
            raw("LSUB ")
            try mailbox(reference)
            space()
            try mailbox(pattern)
        case .status(let name, let attributes):
            // status = "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"
            guard !attributes.isEmpty else {
                throw IMAPProtocolError(.unencodable, "STATUS needs at least one attribute.")
            }
            raw("STATUS ")
            try mailbox(name)
            raw(" (")
            raw(attributes.map(\.rawValue).joined(separator: " "))
            raw(")")
        case .select(let name, let condStore):
            try select("SELECT", name, condStore: condStore)
        case .examine(let name, let condStore):
            try select("EXAMINE", name, condStore: condStore)
        case .uidFetch(let set, let items, let changedSince):
            try uidFetch(set: set, items: items, changedSince: changedSince)
        case .uidSearch(let criteria):
            raw("UID SEARCH ")
            try rawText(criteria, what: "search criteria")
        case .create(let name):
            raw("CREATE ")
            try mailbox(name)
        case .subscribe(let name):
            raw("SUBSCRIBE ")
            try mailbox(name)
        }
    }

    /// `id = "ID" SP id-params-list`; `id-params-list = "(" *(string SP nstring) ")" / nil`
    private mutating func id(_ parameters: [(String, String)]?) throws {
        raw("ID ")
        guard let parameters else {
            raw("NIL")
            return
        }
        raw("(")
        try spaced(parameters) { writer, pair in
            try writer.string(Array(pair.0.utf8))
            writer.space()
            try writer.string(Array(pair.1.utf8))
        }
        raw(")")
    }

    /// `select = "SELECT" SP mailbox [SP "(" "CONDSTORE" ")"]`   (RFC 7162 §3.1.8)
    private mutating func select(_ verb: String, _ name: MailboxName, condStore: Bool) throws {
        raw(verb)
        space()
        try mailbox(name)
        if condStore { raw(" (CONDSTORE)") }
    }

    /// `"UID" SP "FETCH" SP sequence-set SP ("(" fetch-att *(SP fetch-att) ")") [fetch-modifiers]`
    private mutating func uidFetch(set: String, items: [FetchItem], changedSince: UInt64?) throws {
        guard !set.isEmpty, set.utf8.allSatisfy({ Self.isSequenceSetChar($0) }) else {
            throw IMAPProtocolError(.unencodable, "The sequence set \"\(set.prefix(32))\" is not valid.")
        }
        guard !items.isEmpty else {
            throw IMAPProtocolError(.unencodable, "UID FETCH needs at least one item.")
        }
        raw("UID FETCH \(set) (")
        try spaced(items) { try $0.fetchItem($1) }
        raw(")")
        if let changedSince { raw(" (CHANGEDSINCE \(changedSince))") }
    }

    private mutating func fetchItem(_ item: FetchItem) throws {
        switch item {
        case .uid: raw("UID")
        case .flags: raw("FLAGS")
        case .internalDate: raw("INTERNALDATE")
        case .rfc822Size: raw("RFC822.SIZE")
        case .modSeq: raw("MODSEQ")
        case .bodyPeek(let section): try sectioned("BODY.PEEK", section)
        case .binaryPeek(let section): try sectioned("BINARY.PEEK", section)
        case .raw(let text): try rawText(text, what: "FETCH item")
        }
    }

    /// `"BODY.PEEK" section`; `section = "[" [section-spec] "]"`
    private mutating func sectioned(_ name: String, _ section: String) throws {
        raw(name + "[")
        if !section.isEmpty {
            guard !section.utf8.contains(UInt8(ascii: "]")) else {
                throw IMAPProtocolError(.unencodable, "The section \"\(section.prefix(32))\" must not contain ']'.")
            }
            try rawText(section, what: "section")
        }
        raw("]")
    }

    private mutating func spaced<T>(_ items: [T], _ write: (inout CommandWriter, T) throws -> Void) throws {
        for (index, item) in items.enumerated() {
            if index > 0 { space() }
            try write(&self, item)
        }
    }

    private static func isSequenceSetChar(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",")
            || byte == UInt8(ascii: "*") || byte == UInt8(ascii: "$")
    }
}
