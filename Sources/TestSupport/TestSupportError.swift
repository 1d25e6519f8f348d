/// The one error type of TestSupport: a code a test can match on and a message that says what
/// to fix.
public struct TestSupportError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to match on.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let name: String

        /// The `dovecot` binary was not found (install Debian's `dovecot-imapd`).
        public static let dovecotNotInstalled = Code(name: "dovecotNotInstalled")
        /// Dovecot exited early or did not greet on its port in time.
        public static let dovecotFailedToStart = Code(name: "dovecotFailedToStart")
        /// A helper program (`openssl`, `useradd`, `chown`) failed.
        public static let commandFailed = Code(name: "commandFailed")
        /// A configuration value or argument cannot be used (bad user name, folder name, …).
        public static let invalidArgument = Code(name: "invalidArgument")
        /// A file system operation failed.
        public static let fileSystem = Code(name: "fileSystem")
        /// The peer closed the connection while more data was expected.
        public static let connectionClosed = Code(name: "connectionClosed")
        /// A bounded wait ran out.
        public static let timedOut = Code(name: "timedOut")
        /// The data on the wire was not what the caller asked for.
        public static let protocolViolation = Code(name: "protocolViolation")

        public var description: String { name }
    }

    /// The kind of failure.
    public var code: Code
    /// A sentence for a person: what happened and, when known, how to fix it.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    public init(_ code: Code, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    public var description: String {
        if let cause { return "\(code): \(message) (cause: \(cause))" }
        return "\(code): \(message)"
    }
}
