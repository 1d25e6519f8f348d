import IMAPClient
import IMAPProtocol
import Logging

/// Everything needed to open an authenticated session on one account.
public struct Account: Sendable {
    public var address: AccountAddress
    public var credentials: Credentials
    public var tls: ConnectionConfiguration.TLSOptions
    public var allowPlaintext: Bool
    public var timeouts: ConnectionConfiguration.Timeouts
    /// When to use COMPRESS=DEFLATE (RFC 4978) after login. Default `.auto`.
    public var compression: CompressionPolicy

    public init(
        address: AccountAddress,
        credentials: Credentials,
        tls: ConnectionConfiguration.TLSOptions = .init(),
        allowPlaintext: Bool = false,
        timeouts: ConnectionConfiguration.Timeouts = .init(),
        compression: CompressionPolicy = .auto
    ) {
        self.address = address
        self.credentials = credentials
        self.tls = tls
        self.allowPlaintext = allowPlaintext
        self.timeouts = timeouts
        self.compression = compression
    }

    public var connection: ConnectionConfiguration {
        ConnectionConfiguration(
            host: address.host,
            port: address.port,
            security: address.security,
            tls: tls,
            timeouts: timeouts,
            allowPlaintext: allowPlaintext,
            compression: compression
        )
    }

    /// Connects, logs in, starts compression when the policy and the server's post-login
    /// capabilities allow it, runs `body`, logs out.
    public func withSession<Result>(
        logger: Logger,
        _ body: (IMAPSession) async throws -> Result
    ) async throws -> Result {
        try await IMAPConnection.withSession(connection, logger: logger) { session in
            try await session.authenticate(credentials)
            // `authenticate` re-read the capabilities: COMPRESS may only appear after login.
            try await session.applyCompressionPolicy()
            return try await body(session)
        }
    }
}
