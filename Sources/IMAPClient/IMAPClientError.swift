import IMAPProtocol

/// The one error type of the client layer: a code, a sentence with the fix, the server's
/// status response when there was one, and the underlying cause.
public struct IMAPClientError: Error, Sendable, CustomStringConvertible {
    /// What failed; the CLI maps codes to exit statuses.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate let name: String

        /// TCP connection could not be made (refused, unreachable, DNS, connect timeout).
        public static let connectionFailed = Code(name: "connectionFailed")
        /// TLS handshake or certificate verification failed, or STARTTLS was refused/missing.
        public static let tlsFailed = Code(name: "tlsFailed")
        /// The server would not accept the credentials.
        public static let authenticationFailed = Code(name: "authenticationFailed")
        /// The server would only continue in plain text and that was not allowed.
        public static let plaintextRefused = Code(name: "plaintextRefused")
        /// A command completed with NO; `response` has the code and text.
        public static let commandFailed = Code(name: "commandFailed")
        /// A command completed with BAD; `response` has the text.
        public static let commandRejected = Code(name: "commandRejected")
        /// The server said BYE, or the connection closed while a response was awaited.
        public static let disconnected = Code(name: "disconnected")
        /// No data from the server within the read timeout.
        public static let timeout = Code(name: "timeout")
        /// The server's bytes broke the IMAP grammar or a parser limit.
        public static let protocolViolation = Code(name: "protocolViolation")
        /// A local precondition: bad configuration, unreadable CA file, unusable credentials.
        public static let invalidConfiguration = Code(name: "invalidConfiguration")

        public var description: String { name }
    }

    public var code: Code
    public var message: String
    /// The status response (NO, BAD, BYE) that caused this error, when there was one.
    public var response: StatusResponse?
    public var cause: (any Error & Sendable)?

    public init(_ code: Code, _ message: String, response: StatusResponse? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.response = response
        self.cause = cause
    }

    /// The server's response code, if the failure carried one (e.g. `[OVERQUOTA]`).
    public var responseCode: ResponseCode? { response?.code }

    public var description: String { message }
}
