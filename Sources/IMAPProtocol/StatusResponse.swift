/// The condition of a status response (RFC 3501 §7.1).
public enum ResponseStatus: String, Hashable, Sendable {
    case ok = "OK"
    case no = "NO"
    case bad = "BAD"
    case preauth = "PREAUTH"
    case bye = "BYE"
}

/// A status response: its condition, optional response code and human-readable text.
///
/// `S: * OK [UIDVALIDITY 3857529045] UIDs valid` / `S: A2 NO [TRYCREATE] No such mailbox`
public struct StatusResponse: Hashable, Sendable {
    public var status: ResponseStatus
    public var code: ResponseCode?
    public var text: String

    public init(status: ResponseStatus, code: ResponseCode? = nil, text: String) {
        self.status = status
        self.code = code
        self.text = text
    }
}

/// The completion of a command: `S: A1 OK LOGIN completed` (RFC 3501 §7.1).
public struct TaggedResponse: Hashable, Sendable {
    public var tag: String
    public var state: StatusResponse

    public init(tag: String, state: StatusResponse) {
        self.tag = tag
        self.state = state
    }
}
