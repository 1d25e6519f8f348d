import IMAPClient

/// The one error type of the Transfer layer. The CLI maps codes to exit statuses.
public struct TransferError: Error, Sendable, CustomStringConvertible {
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String

        /// The user asked for something impossible (bad URL, unknown provider, no password).
        public static let usage = Code(name: "usage")
        /// Another job holds this account's lock.
        public static let locked = Code(name: "locked")
        /// The crate is not valid or is corrupt.
        public static let crateInvalid = Code(name: "crateInvalid")
        /// The destination has no room (`[OVERQUOTA]`).
        public static let overQuota = Code(name: "overQuota")
        /// The job finished but some messages could not be transferred.
        public static let partial = Code(name: "partial")
        /// The server's data stopped in the middle of a message: the connection must be redone.
        public static let connectionLost = Code(name: "connectionLost")
        /// Anything else (local I/O, unexpected server behaviour).
        public static let failed = Code(name: "failed")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String { message }
}
