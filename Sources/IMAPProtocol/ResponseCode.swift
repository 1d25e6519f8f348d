/// A response code in square brackets at the start of a status response's text
/// (RFC 3501 §7.1, RFC 4315, RFC 5530, RFC 7162).
///
/// `S: A1 OK [APPENDUID 38505 3955] APPEND completed`
public enum ResponseCode: Hashable, Sendable {
    case alert
    case capability([Capability])
    case permanentFlags([Flag])
    case uidValidity(UInt32)
    case uidNext(UInt32)
    case highestModSeq(UInt64)
    case noModSeq
    /// RFC 4315: the UIDs the destination gave to appended messages.
    case appendUID(uidValidity: UInt32, uids: [UIDRange])
    /// RFC 4315: source and destination UIDs of a COPY/MOVE.
    case copyUID(uidValidity: UInt32, source: [UIDRange], destination: [UIDRange])
    case tryCreate
    case readOnly
    case readWrite
    case parse
    /// RFC 7889 / RFC 4469: the message is larger than the server accepts.
    case tooBig
    /// RFC 5530 codes.
    case overQuota
    case unavailable
    case limit
    case inUse
    case authenticationFailed
    case authorizationFailed
    case expired
    case privacyRequired
    case contactAdmin
    case serverBug
    case cannot
    case alreadyExists
    case nonExistent
    /// Any code this parser does not model, kept with its raw argument text.
    case other(name: String, arguments: String?)
}

/// A closed range of UIDs, as in a `uid-set` (RFC 4315 §4). A single UID has `lowerBound == upperBound`.
public struct UIDRange: Hashable, Sendable {
    public var lowerBound: UInt32
    public var upperBound: UInt32

    public init(_ lowerBound: UInt32, _ upperBound: UInt32) {
        self.lowerBound = min(lowerBound, upperBound)
        self.upperBound = max(lowerBound, upperBound)
    }

    public init(_ single: UInt32) { self.init(single, single) }

    /// Every UID in the range, in ascending order.
    public var uids: ClosedRange<UInt32> { lowerBound...upperBound }
}
