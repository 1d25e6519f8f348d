import Foundation
import IMAPProtocol
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Opens connections to an IMAP server: TCP, TLS (implicit or STARTTLS), greeting.
///
/// ```
/// try await IMAPConnection.withSession(configuration, logger: logger) { session in
///     try await session.login(username: "alice", password: secret)
///     let folders = try await session.list()
/// }
/// ```
public enum IMAPConnection {
    /// Connects, reads the greeting, upgrades with STARTTLS when configured, runs `body`
    /// with the session, then logs out (best effort) and closes.
    public static func withSession<Result>(
        _ configuration: ConnectionConfiguration,
        logger: Logger = Logger(label: "imapcrate.imap"),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (IMAPSession) async throws -> Result
    ) async throws -> Result {
        let tlsContext = try makeTLSContext(configuration)
        let inFlight = InFlightCounter()
        let boundary = PlaintextBoundary()
        let asyncChannel = try await connect(configuration, tlsContext: tlsContext, inFlight: inFlight, boundary: boundary, group: group)
        return try await asyncChannel.executeThenClose { inbound, outbound in
            let session = IMAPSession(
                inbound: inbound,
                outbound: outbound,
                channel: asyncChannel.channel,
                inFlight: inFlight,
                boundary: boundary,
                configuration: configuration,
                logger: logger
            )
            try await session.readGreeting()
            if configuration.security == .startTLS {
                try await session.upgradeWithSTARTTLS(context: tlsContext)
            }
            let result = try await body(session)
            await session.logoutQuietly()
            return result
        }
    }

    static func connect(
        _ configuration: ConnectionConfiguration,
        tlsContext: NIOSSLContext?,
        inFlight: InFlightCounter,
        boundary: PlaintextBoundary,
        group: any EventLoopGroup
    ) async throws -> NIOAsyncChannel<ResponseEvent, ByteBuffer> {
        let implicitTLS = configuration.security == .implicitTLS ? tlsContext : nil
        let serverName = configuration.serverNameIndication
        do {
            return try await ClientBootstrap(group: group)
                .connectTimeout(configuration.timeouts.connect)
                .channelOption(.socketOption(.tcp_nodelay), value: 1)
                .connect(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let sync = channel.pipeline.syncOperations
                        try sync.addHandler(ReadTimeoutHandler(timeout: configuration.timeouts.read, inFlight: inFlight))
                        if let implicitTLS {
                            try sync.addHandler(NIOSSLClientHandler(context: implicitTLS, serverHostname: serverName))
                        }
                        try sync.addHandler(ByteToMessageHandler(ResponseDecoder(limits: configuration.parserLimits, boundary: boundary)))
                        return try NIOAsyncChannel<ResponseEvent, ByteBuffer>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
                        )
                    }
                }
        } catch {
            throw IMAPClientError(
                .connectionFailed,
                "cannot connect to \(configuration.host) port \(configuration.port): \(describeConnectError(error))",
                cause: SendableDescription(error)
            )
        }
    }

    /// `Connection refused` rather than NIO's nested error dump.
    static func describeConnectError(_ error: any Error) -> String {
        if let connection = error as? NIOConnectionError, let first = connection.connectionErrors.first {
            return describeConnectError(first.error)
        }
        if let io = error as? IOError {
            return String(cString: strerror(io.errnoCode))
        }
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return "no answer within the connect timeout"
        }
        return "\(error)"
    }

    static func makeTLSContext(_ configuration: ConnectionConfiguration) throws -> NIOSSLContext? {
        guard configuration.security != .plain else { return nil }
        return try TLSContextCache.context(for: configuration.tls) { try buildTLSContext(configuration) }
    }

    private static func buildTLSContext(_ configuration: ConnectionConfiguration) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        if configuration.tls.insecureSkipVerify {
            tls.certificateVerification = .none
        }
        if let caFile = configuration.tls.caFilePath {
            do {
                let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
                guard !certificates.isEmpty else {
                    throw IMAPClientError(.invalidConfiguration, "the CA file \(caFile) holds no PEM certificate")
                }
                tls.additionalTrustRoots = [.certificates(certificates)]
            } catch let error as IMAPClientError {
                throw error
            } catch {
                throw IMAPClientError(.invalidConfiguration, "cannot read the CA file \(caFile): \(error)", cause: SendableDescription(error))
            }
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw IMAPClientError(.tlsFailed, "cannot set up TLS: \(error)", cause: SendableDescription(error))
        }
    }
}

extension ConnectionConfiguration {
    /// SNI and the name the certificate is checked against: the host, unless it is an IP
    /// address literal (SNI forbids those; NIOSSL then checks the IP address itself).
    var serverNameIndication: String? {
        let isIPv4 = host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
        let isIPv6 = host.contains(":")
        return (isIPv4 || isIPv6) ? nil : host
    }
}
