/// The one error type of the codec layer: what went wrong while parsing or encoding IMAP.
///
/// A malformed or hostile server response always surfaces as one of these, never as a crash,
/// a hang or unbounded memory growth.
public struct IMAPProtocolError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem it is; extensible without breaking callers that switch on it.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Value: Hashable, Sendable {
            case malformed, lineTooLong, literalTooLarge, nestingTooDeep, tooManyItems, responseTooLarge
            case invalidMailboxName, invalidDate, unencodable
        }
        fileprivate let value: Value

        /// The bytes do not follow the IMAP grammar.
        public static let malformed = Code(value: .malformed)
        /// A response line exceeded `ParserLimits.maximumLineLength`.
        public static let lineTooLong = Code(value: .lineTooLong)
        /// A literal announced more than `ParserLimits.maximumLiteralSize` bytes.
        public static let literalTooLarge = Code(value: .literalTooLarge)
        /// Parenthesised lists nested deeper than `ParserLimits.maximumNestingDepth`.
        public static let nestingTooDeep = Code(value: .nestingTooDeep)
        /// A list (or one FETCH response) held more than `ParserLimits.maximumItemCount` items.
        public static let tooManyItems = Code(value: .tooManyItems)
        /// One response needed more than `ParserLimits.maximumResponseSize` bytes held at once.
        public static let responseTooLarge = Code(value: .responseTooLarge)
        /// A mailbox name is not valid modified UTF-7.
        public static let invalidMailboxName = Code(value: .invalidMailboxName)
        /// A date-time is not in the RFC 3501 `date-time` form.
        public static let invalidDate = Code(value: .invalidDate)
        /// A value cannot be put on the wire (for example a NUL byte in a quoted string).
        public static let unencodable = Code(value: .unencodable)

        public var description: String { "\(value)" }
    }

    public var code: Code
    /// A human sentence naming what was wrong, with a short excerpt of the input where useful.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "IMAP protocol error (\(code)): \(message)" }
}
