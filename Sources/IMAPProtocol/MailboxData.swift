/// One LIST or LSUB line (RFC 3501 §7.2.2, RFC 5258, RFC 6154).
///
/// `S: * LIST (\HasNoChildren \Sent) "/" "Sent Items"`
public struct ListResponse: Hashable, Sendable {
    /// Attributes as sent, e.g. `\Noselect`, `\HasChildren`, `\Sent`, `\Subscribed`.
    public var attributes: [String]
    /// The hierarchy delimiter, or nil when the server sent NIL (flat namespace).
    public var delimiter: Character?
    public var mailbox: MailboxName
    /// RFC 5258 extended data items (e.g. `CHILDINFO`), kept as raw text.
    public var extendedData: [String]

    public init(attributes: [String], delimiter: Character?, mailbox: MailboxName, extendedData: [String] = []) {
        self.attributes = attributes
        self.delimiter = delimiter
        self.mailbox = mailbox
        self.extendedData = extendedData
    }

    /// True when the list contains the attribute (case-insensitive).
    public func hasAttribute(_ name: String) -> Bool {
        attributes.contains { $0.caseInsensitiveCompare(name) }
    }
}

extension String {
    fileprivate func caseInsensitiveCompare(_ other: String) -> Bool {
        self.lowercased() == other.lowercased()
    }
}

/// A STATUS attribute name (RFC 3501 §6.3.10, RFC 7162, RFC 8438).
public enum StatusAttribute: String, Hashable, Sendable, CaseIterable {
    case messages = "MESSAGES"
    case recent = "RECENT"
    case uidNext = "UIDNEXT"
    case uidValidity = "UIDVALIDITY"
    case unseen = "UNSEEN"
    case highestModSeq = "HIGHESTMODSEQ"
    case size = "SIZE"
}

/// `S: * STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)` (RFC 3501 §7.2.4).
public struct MailboxStatus: Hashable, Sendable {
    public var mailbox: MailboxName
    /// Values by attribute; attributes the parser does not know are dropped.
    public var values: [StatusAttribute: UInt64]

    public init(mailbox: MailboxName, values: [StatusAttribute: UInt64]) {
        self.mailbox = mailbox
        self.values = values
    }
}

/// One namespace description: prefix and delimiter (RFC 2342).
public struct NamespaceDescription: Hashable, Sendable {
    public var prefix: MailboxName
    public var delimiter: Character?

    public init(prefix: MailboxName, delimiter: Character?) {
        self.prefix = prefix
        self.delimiter = delimiter
    }
}

/// `S: * NAMESPACE (("" "/")) NIL NIL` (RFC 2342 §5).
public struct NamespaceResponse: Hashable, Sendable {
    public var personal: [NamespaceDescription]
    public var otherUsers: [NamespaceDescription]
    public var shared: [NamespaceDescription]

    public init(personal: [NamespaceDescription], otherUsers: [NamespaceDescription], shared: [NamespaceDescription]) {
        self.personal = personal
        self.otherUsers = otherUsers
        self.shared = shared
    }
}
