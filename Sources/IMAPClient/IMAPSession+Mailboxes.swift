import IMAPProtocol

/// What SELECT/EXAMINE reported about a mailbox (RFC 3501 §6.3.1, RFC 7162 §3.1.2).
public struct SelectedMailbox: Hashable, Sendable {
    public var name: MailboxName
    public var exists: UInt32 = 0
    public var uidValidity: UInt32?
    public var uidNext: UInt32?
    public var highestModSeq: UInt64?
    public var flags: [Flag] = []
    public var permanentFlags: [Flag]?
    public var readOnly: Bool = false

    public init(name: MailboxName) { self.name = name }

    /// True when new keywords may be stored (`\*` in PERMANENTFLAGS, or none announced).
    public var acceptsNewKeywords: Bool {
        guard let permanentFlags else { return true }
        return permanentFlags.contains(.wildcard)
    }
}

extension IMAPSession {
    /// `C: LIST "" "*"` — every mailbox, with special-use and subscription attributes when
    /// the server supports LIST-EXTENDED / SPECIAL-USE (RFC 5258, RFC 6154); otherwise an
    /// LSUB pass marks subscribed mailboxes with `\Subscribed`.
    public func listAll() async throws -> [ListResponse] {
        var options: [String] = []
        if supports(.listExtended) { options.append("SUBSCRIBED") }
        if supports(.specialUse) { options.append("SPECIAL-USE") }
        let response = try await execute(.list(reference: MailboxName(bytes: []), pattern: MailboxName(bytes: Array("*".utf8)), returnOptions: options))
        var mailboxes = response.untagged.compactMap { untagged -> ListResponse? in
            if case .list(let list) = untagged { return list }
            return nil
        }
        if !supports(.listExtended) {
            let lsub = try await execute(.lsub(reference: MailboxName(bytes: []), pattern: MailboxName(bytes: Array("*".utf8))))
            let subscribed = Set(lsub.untagged.compactMap { untagged -> MailboxName? in
                if case .lsub(let list) = untagged { return list.mailbox }
                return nil
            })
            for index in mailboxes.indices where subscribed.contains(mailboxes[index].mailbox) {
                mailboxes[index].attributes.append("\\Subscribed")
            }
        }
        return mailboxes
    }

    /// `C: NAMESPACE` (RFC 2342), or nil when the server lacks it.
    public func namespace() async throws -> NamespaceResponse? {
        guard supports(.namespace) else { return nil }
        let response = try await execute(.namespace)
        for case .namespace(let namespace) in response.untagged { return namespace }
        return nil
    }

    /// `C: ID ("name" "imapcrate" ...)` (RFC 2971): the server's identity, or nil without ID.
    public func identify(_ client: [(String, String)]) async throws -> [String: String]? {
        guard supports(.id) else { return nil }
        let response = try await execute(.id(client))
        for case .id(let fields) in response.untagged { return fields }
        return [:]
    }

    /// `C: ENABLE ...` (RFC 5161) for the capabilities the server offers; returns those enabled.
    @discardableResult
    public func enable(_ wanted: [Capability]) async throws -> [Capability] {
        let offered = wanted.filter(supports)
        guard supports(.enable), !offered.isEmpty else { return [] }
        let response = try await execute(.enable(offered))
        return response.untagged.flatMap { untagged -> [Capability] in
            if case .enabled(let list) = untagged { return list }
            return []
        }
    }

    /// `C: STATUS box (MESSAGES UIDNEXT UIDVALIDITY SIZE)`.
    public func status(_ mailbox: MailboxName, _ attributes: [StatusAttribute]) async throws -> MailboxStatus {
        let response = try await execute(.status(mailbox, attributes))
        for case .mailboxStatus(let status) in response.untagged where status.mailbox == mailbox { return status }
        for case .mailboxStatus(let status) in response.untagged { return status }
        return MailboxStatus(mailbox: mailbox, values: [:])
    }

    /// SELECT (read-write) or EXAMINE (read-only, never changes \Seen or \Recent).
    public func select(_ mailbox: MailboxName, readOnly: Bool, condStore: Bool = false) async throws -> SelectedMailbox {
        let command: Command = readOnly ? .examine(mailbox, condStore: condStore) : .select(mailbox, condStore: condStore)
        let response = try await execute(command)
        var selected = SelectedMailbox(name: mailbox)
        selected.readOnly = readOnly
        for untagged in response.untagged {
            switch untagged {
            case .exists(let count): selected.exists = count
            case .flags(let flags): selected.flags = flags
            case .status(let status):
                switch status.code {
                case .uidValidity(let value)?: selected.uidValidity = value
                case .uidNext(let value)?: selected.uidNext = value
                case .highestModSeq(let value)?: selected.highestModSeq = value
                case .permanentFlags(let flags)?: selected.permanentFlags = flags
                default: break
                }
            default: break
            }
        }
        if case .readOnly? = response.code { selected.readOnly = true }
        return selected
    }

    /// `C: CREATE name`. An `[ALREADYEXISTS]` refusal is not an error.
    public func create(_ mailbox: MailboxName) async throws {
        do {
            try await execute(.create(mailbox))
        } catch let error as IMAPClientError where error.responseCode == .alreadyExists {
            return
        }
    }

    /// `C: SUBSCRIBE name`.
    public func subscribe(_ mailbox: MailboxName) async throws {
        try await execute(.subscribe(mailbox))
    }

    /// `C: UID SEARCH criteria`: the matching UIDs.
    public func uidSearch(_ criteria: String) async throws -> [UInt32] {
        let response = try await execute(.uidSearch(criteria: criteria))
        return response.untagged.flatMap { untagged -> [UInt32] in
            if case .search(let uids, _) = untagged { return uids }
            return []
        }
    }

    /// `C: NOOP`: keeps the connection alive and collects pending untagged data.
    public func noop() async throws -> [UntaggedResponse] {
        try await execute(.noop).untagged
    }
}
