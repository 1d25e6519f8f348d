import IMAPProtocol
import NIOCore

/// Where and how to reach an IMAP server.
public struct ConnectionConfiguration: Sendable {
    /// How the connection is protected (RFC 8314 §3, RFC 3501 §6.2.1).
    public enum Security: String, Hashable, Sendable {
        /// TLS from the first byte (port 993).
        case implicitTLS
        /// Plain connection upgraded with STARTTLS before login (port 143); never falls back.
        case startTLS
        /// No TLS at all; only with `allowPlaintext`.
        case plain
    }

    /// Certificate verification settings.
    public struct TLSOptions: Sendable {
        /// Extra PEM CA file trusted in addition to the system roots.
        public var caFilePath: String?
        /// Skip certificate and host name verification entirely. Dangerous; the CLI warns.
        public var insecureSkipVerify: Bool

        public init(caFilePath: String? = nil, insecureSkipVerify: Bool = false) {
            self.caFilePath = caFilePath
            self.insecureSkipVerify = insecureSkipVerify
        }
    }

    /// Time limits; a stalled server never hangs a job forever.
    public struct Timeouts: Sendable {
        /// TCP connect. Default 15 s.
        public var connect: TimeAmount
        /// Longest silence while a command is in flight. Default 120 s.
        public var read: TimeAmount

        public init(connect: TimeAmount = .seconds(15), read: TimeAmount = .seconds(120)) {
            self.connect = connect
            self.read = read
        }
    }

    public var host: String
    public var port: Int
    public var security: Security
    public var tls: TLSOptions
    public var timeouts: Timeouts
    /// Permit LOGIN/AUTHENTICATE over an unencrypted connection (tests, local servers).
    public var allowPlaintext: Bool
    /// Parser bounds for this connection's responses.
    public var parserLimits: ParserLimits
    /// Most untagged responses kept for one command (LIST of every folder, SEARCH, flag
    /// updates during a FETCH); more is a flooding server. Default 1,000,000.
    public var maximumUntaggedResponses: Int
    /// When to compress with COMPRESS=DEFLATE after login (RFC 4978). Default `.auto`:
    /// whenever the server offers it, except on loopback.
    public var compression: CompressionPolicy

    public init(
        host: String,
        port: Int,
        security: Security,
        tls: TLSOptions = TLSOptions(),
        timeouts: Timeouts = Timeouts(),
        allowPlaintext: Bool = false,
        parserLimits: ParserLimits = ParserLimits(),
        maximumUntaggedResponses: Int = 1_000_000,
        compression: CompressionPolicy = .auto
    ) {
        self.host = host
        self.port = port
        self.security = security
        self.tls = tls
        self.timeouts = timeouts
        self.allowPlaintext = allowPlaintext
        self.parserLimits = parserLimits
        self.maximumUntaggedResponses = maximumUntaggedResponses
        self.compression = compression
    }
}
