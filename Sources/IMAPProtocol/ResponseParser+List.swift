/// Mailbox listings: LIST/LSUB, STATUS and NAMESPACE (RFC 3501 §7.2.2–7.2.4, RFC 5258, RFC 2342).
extension ParseCursor {
    /// ```
    /// mailbox-list = "(" [mbx-list-flags] ")" SP (DQUOTE QUOTED-CHAR DQUOTE / nil) SP mailbox
    ///                [SP mbox-list-extended]
    /// mbox-list-extended = "(" [mbox-list-extended-item *(SP mbox-list-extended-item)] ")"
    /// mbox-list-extended-item = mbox-list-extended-item-tag SP tagged-ext-val
    /// ```
    /// Each extended item is kept as raw text, e.g. `"CHILDINFO" ("SUBSCRIBED")`.
    mutating func mailboxList() throws -> ListResponse {
        try expectSpace()
        try enterList()
        var attributes: [String] = []
        while true {
            try skipSpaces()
            if try leaveList() { break }
            attributes.append(try atom())
            try checkItemCount(attributes.count)
        }
        try expectSpace()
        let delimiter = try delimiterCharacter()
        try expectSpace()
        let mailbox = MailboxName(bytes: try astring())
        var extended: [String] = []
        if try !atLineEnd() {
            try enterList()
            while true {
                try skipSpaces()
                if try leaveList() { break }
                var item: [UInt8] = []
                try rawValue(into: &item)
                try expectSpace()
                item.append(Self.space)
                try rawValue(into: &item)
                extended.append(String(decoding: item, as: UTF8.self))
                try checkItemCount(extended.count)
            }
        }
        try expectLineEnd()
        return ListResponse(attributes: attributes, delimiter: delimiter, mailbox: mailbox, extendedData: extended)
    }

    /// `DQUOTE QUOTED-CHAR DQUOTE / nil` — the hierarchy delimiter (an empty string reads as nil).
    mutating func delimiterCharacter() throws -> Character? {
        if try consumeNil() { return nil }
        let text = String(decoding: try quoted(), as: UTF8.self)
        guard text.count <= 1 else { throw malformed("a hierarchy delimiter must be one character") }
        return text.first
    }

    /// `"STATUS" SP mailbox SP "(" [status-att-list] ")"`;
    /// `status-att-list = status-att-val *(SP status-att-val)` — unknown attributes are skipped.
    mutating func mailboxStatus() throws -> MailboxStatus {
        try expectSpace()
        let mailbox = MailboxName(bytes: try astring())
        try expectSpace()
        try enterList()
        var values: [StatusAttribute: UInt64] = [:]
        var count = 0
        while true {
            try skipSpaces()
            if try leaveList() { break }
            let name = try keyword()
            try expectSpace()
            if let attribute = StatusAttribute(rawValue: name) {
                values[attribute] = try number64()
            } else {
                var ignored: [UInt8] = []
                try rawValue(into: &ignored)
            }
            count += 1
            try checkItemCount(count)
        }
        try expectLineEnd()
        return MailboxStatus(mailbox: mailbox, values: values)
    }

    /// `namespace-response = "NAMESPACE" SP namespace SP namespace SP namespace` (RFC 2342 §5)
    mutating func namespaceResponse() throws -> NamespaceResponse {
        try expectSpace()
        let personal = try namespace()
        try expectSpace()
        let otherUsers = try namespace()
        try expectSpace()
        let shared = try namespace()
        try expectLineEnd()
        return NamespaceResponse(personal: personal, otherUsers: otherUsers, shared: shared)
    }

    /// ```
    /// namespace = nil / "(" 1*namespace-descr ")"
    /// namespace-descr = "(" string SP (DQUOTE QUOTED-CHAR DQUOTE / nil) *(namespace-response-extension) ")"
    /// namespace-response-extension = SP string SP "(" string *(SP string) ")"
    /// ```
    /// Extensions are tolerated and dropped.
    private mutating func namespace() throws -> [NamespaceDescription] {
        if try consumeNil() { return [] }
        try enterList()
        var descriptions: [NamespaceDescription] = []
        while true {
            try skipSpaces()
            if try leaveList() { return descriptions }
            try enterList()
            let prefix = MailboxName(bytes: try imapString())
            try expectSpace()
            let delimiter = try delimiterCharacter()
            var extensionValues = 0
            while true {
                try skipSpaces()
                if try leaveList() { break }
                var ignored: [UInt8] = []
                try rawValue(into: &ignored)
                extensionValues += 1
                try checkItemCount(extensionValues)
            }
            descriptions.append(NamespaceDescription(prefix: prefix, delimiter: delimiter))
            try checkItemCount(descriptions.count)
        }
    }
}
