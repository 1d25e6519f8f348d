import IMAPProtocol
import NIOCore
import NIOSSL

/// How to prove who the user is (RFC 3501 §6.2.3, RFC 4616, RFC 7628, Google XOAUTH2).
public enum Credentials: Sendable {
    case password(username: String, password: String)
    /// An OAuth 2.0 access token, sent with OAUTHBEARER or XOAUTH2, whichever the server offers.
    case oauth2(username: String, accessToken: String)

    public var username: String {
        switch self {
        case .password(let username, _), .oauth2(let username, _): username
        }
    }
}

extension IMAPSession {
    /// Reads the server greeting: `S: * OK [CAPABILITY ...] ready`. BYE refuses the connection.
    /// The greeting counts as an awaited response, so a server that accepts the connection
    /// but never greets runs into the read timeout instead of hanging the client.
    func readGreeting() async throws {
        inFlight.increment()
        defer { inFlight.decrement() }
        let event = try await nextEvent()
        guard case .untagged(.status(let status)) = event else {
            throw IMAPClientError(.protocolViolation, "\(configuration.host) did not greet like an IMAP server")
        }
        switch status.status {
        case .ok, .preauth:
            if case .capability(let list)? = status.code { capabilities = Set(list) }
        case .bye:
            throw IMAPClientError(.disconnected, "the server refused the connection: \(status.text)", response: status)
        default:
            throw IMAPClientError(.protocolViolation, "unexpected greeting from \(configuration.host): \(status.text)")
        }
    }

    /// Fetches capabilities when the greeting did not carry them.
    public func refreshCapabilities() async throws {
        _ = try await execute(.capability)
    }

    /// STARTTLS (RFC 3501 §6.2.1): refuses to go on if the server cannot do it.
    func upgradeWithSTARTTLS(context: NIOSSLContext?) async throws {
        guard let context else { return }
        if capabilities.isEmpty { try await refreshCapabilities() }
        guard supports(.startTLS) else {
            if configuration.allowPlaintext {
                logger.warning("\(configuration.host) does not offer STARTTLS; continuing WITHOUT encryption (--allow-plaintext)")
                return
            }
            throw IMAPClientError(
                .tlsFailed,
                "\(configuration.host) does not offer STARTTLS; use imaps:// (port 993) or, for a trusted local network only, --allow-plaintext"
            )
        }
        // Nothing may follow the tagged response in plain text (see `PlaintextBoundary`).
        boundary.endAfterResponse(to: upcomingTag)
        do {
            try await execute(.startTLS)
        } catch let error as IMAPClientError where error.code == .commandFailed || error.code == .commandRejected {
            throw IMAPClientError(.tlsFailed, "\(configuration.host) refused STARTTLS: \(error.response?.text ?? "")", response: error.response)
        }
        let serverName = configuration.serverNameIndication
        let channel = self.channel
        let boundary = self.boundary
        do {
            try await channel.eventLoop.submit {
                let handler = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                try channel.pipeline.syncOperations.addHandler(handler, position: .after(channel.pipeline.syncOperations.handler(type: ReadTimeoutHandler.self)))
                // From here on every byte the decoder sees came through TLS.
                boundary.reopen()
            }.get()
        } catch {
            throw IMAPClientError(.tlsFailed, "cannot start TLS with \(configuration.host): \(error)", cause: SendableDescription(error))
        }
        // RFC 3501 §6.2.1: capabilities learnt before TLS must be discarded.
        capabilities = []
        isEncrypted = true
        do {
            try await refreshCapabilities()
        } catch let error as IMAPClientError where error.code == .disconnected {
            // The handshake failed and the connection closed before the TLS error itself
            // reached us: it is still a TLS failure, not a dropped connection.
            throw IMAPClientError(
                .tlsFailed,
                "TLS with \(configuration.host) failed after STARTTLS: the handshake did not complete (an untrusted certificate, or a server that dropped the connection); for a private CA pass --ca-file PATH",
                cause: error
            )
        }
    }

    /// Logs in with a password (LOGIN, or AUTHENTICATE PLAIN when LOGIN is disabled) or an
    /// OAuth 2.0 token. A NO becomes `.authenticationFailed`. Refreshes capabilities.
    public func authenticate(_ credentials: Credentials) async throws {
        guard isEncrypted || configuration.allowPlaintext else {
            throw IMAPClientError(.plaintextRefused, "refusing to send credentials to \(configuration.host) without TLS; pass --allow-plaintext to permit it")
        }
        if capabilities.isEmpty { try await refreshCapabilities() }
        let response: CommandResponse
        do {
            switch credentials {
            case .password(let username, let password):
                if supports(.loginDisabled) && mechanisms.contains("PLAIN") {
                    response = try await authenticateSASL(mechanism: "PLAIN", initial: SASL.plain(username: username, password: password))
                } else {
                    response = try await execute(.login(username: username, password: password))
                }
            case .oauth2(let username, let token):
                if mechanisms.contains("OAUTHBEARER") {
                    let host = configuration.host, port = configuration.port
                    response = try await authenticateSASL(mechanism: "OAUTHBEARER", initial: SASL.oauthBearer(username: username, token: token, host: host, port: port))
                } else if mechanisms.contains("XOAUTH2") {
                    response = try await authenticateSASL(mechanism: "XOAUTH2", initial: SASL.xoauth2(username: username, token: token))
                } else {
                    throw IMAPClientError(.authenticationFailed, "\(configuration.host) offers neither OAUTHBEARER nor XOAUTH2; use a password (or an app password)")
                }
            }
        } catch let error as IMAPClientError where error.code == .commandFailed || error.code == .commandRejected {
            let text = error.response?.text ?? error.message
            throw IMAPClientError(.authenticationFailed, "login as \(credentials.username) failed: \(text)", response: error.response)
        }
        // RFC 3501 §6.2.3: capabilities may change at login. When the completion or untagged
        // data carried them (`complete`/`record` already stored them), there is no need to ask.
        let announcedInCode = if case .capability? = response.code { true } else { false }
        let announcedUntagged = response.untagged.contains { if case .capability = $0 { true } else { false } }
        if !announcedInCode && !announcedUntagged { try await refreshCapabilities() }
    }

    /// The SASL mechanisms from `AUTH=` capabilities.
    var mechanisms: Set<String> { Set(capabilities.compactMap(\.authMechanism)) }

    /// AUTHENTICATE with an initial response (SASL-IR when offered, else after the first `+`).
    /// A server challenge after the response (an error report, RFC 7628 §3.2.2) is answered
    /// with the dummy `AQ==` / empty line so the server can finish with NO.
    func authenticateSASL(mechanism: String, initial: String) async throws -> CommandResponse {
        let tag: String
        if supports(.saslIR) {
            tag = try await send(.authenticate(mechanism: mechanism, initialResponse: initial))
        } else {
            tag = try await send(.authenticate(mechanism: mechanism, initialResponse: nil))
            if try await awaitContinuationOrCompletion(tag) != nil {
                try await writeRaw(encoder.encodeContinuationResponse(initial))
            }
        }
        var challenges = 0
        while true {
            if try await awaitContinuationOrCompletion(tag) == nil { break }
            challenges += 1
            guard challenges <= 3 else {
                throw IMAPClientError(.protocolViolation, "\(configuration.host) kept challenging during \(mechanism)")
            }
            let reply = mechanism == "OAUTHBEARER" ? "AQ==" : ""
            try await writeRaw(encoder.encodeContinuationResponse(reply))
        }
        return try await complete(tag)
    }

    /// Returns the continuation text, or nil once `tag` has completed (kept for `complete`).
    func awaitContinuationOrCompletion(_ tag: String) async throws -> String? {
        if finished[tag] != nil { return nil }
        do {
            return try await awaitContinuation(for: tag)
        } catch is ContinuationRefused {
            return nil
        }
    }

    /// LOGOUT, ignoring errors: the connection is closing anyway.
    func logoutQuietly() async {
        guard !isClosed else { return }
        _ = try? await execute(.logout)
    }
}
