import IMAPClient
import IMAPProtocol
import Testing
import TestSupport

/// Connecting and logging in to a real Dovecot: plain, implicit TLS, STARTTLS, and every way
/// that can fail.
@Suite("IMAPConnection against Dovecot")
struct IMAPConnectionTests {
    @Test("logs in over plain text, implicit TLS and STARTTLS, refreshing capabilities after STARTTLS and login")
    func loginEverySecurity() async throws {
        try await DovecotServer.withServer(.init(tls: true)) { server in
            // Plain: the pre-login capabilities come from the greeting, the post-login ones
            // from the LOGIN completion.
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                #expect(!session.isEncrypted)
                #expect(session.supports(Capability("AUTH=PLAIN")))
                #expect(!session.supports(.multiAppend))
                try await session.authenticate(server.aliceCredentials)
                #expect(session.supports(.multiAppend))
                #expect(session.supports(.uidPlus))
                #expect(!session.supports(Capability("AUTH=PLAIN")))
                let inbox = try await session.select(.inbox, readOnly: true)
                #expect(inbox.readOnly)
            }

            try await IMAPConnection.withSession(try server.implicitTLSConfiguration()) { session in
                #expect(session.isEncrypted)
                try await session.authenticate(server.aliceCredentials)
                #expect(session.supports(.multiAppend))
                #expect(try await session.listAll().contains { $0.mailbox.isInbox })
            }

            try await IMAPConnection.withSession(server.startTLSConfiguration()) { session in
                // RFC 3501 §6.2.1: what was learnt before TLS is gone; Dovecot no longer
                // offers STARTTLS on the protected connection.
                #expect(session.isEncrypted)
                #expect(!session.capabilities.isEmpty)
                #expect(!session.supports(.startTLS))
                #expect(!session.supports(.multiAppend))
                try await session.authenticate(server.aliceCredentials)
                #expect(session.supports(.multiAppend))
                #expect(try await session.namespace()?.personal.first?.delimiter == "/")
            }
        }
    }

    @Test("a wrong password is .authenticationFailed; TLS without the CA is .tlsFailed")
    func credentialAndCertificateFailures() async throws {
        try await DovecotServer.withServer(.init(tls: true)) { server in
            let wrong = Credentials.password(username: "alice", password: "not-the-password")
            let refused = try await clientError {
                try await IMAPConnection.withSession(try server.implicitTLSConfiguration()) { session in
                    try await session.authenticate(wrong)
                }
            }
            #expect(refused.code == .authenticationFailed)
            #expect(refused.response?.status == .no)
            #expect(refused.responseCode == .authenticationFailed)
            #expect(!refused.message.contains("not-the-password"))

            let untrusted = try await clientError {
                try await IMAPConnection.withSession(try server.implicitTLSConfiguration(trustCA: false)) { _ in }
            }
            #expect(untrusted.code == .tlsFailed)
            #expect(untrusted.message.contains("--ca-file"))

            var startTLS = server.startTLSConfiguration()
            startTLS.tls.caFilePath = nil
            let untrustedUpgrade = try await clientError {
                try await IMAPConnection.withSession(startTLS) { _ in }
            }
            #expect(untrustedUpgrade.code == .tlsFailed)

            // Skipping verification is possible (the CLI warns loudly).
            var insecure = try server.implicitTLSConfiguration(trustCA: false)
            insecure.tls.insecureSkipVerify = true
            try await IMAPConnection.withSession(insecure) { session in
                try await session.authenticate(server.aliceCredentials)
            }
        }
    }

    @Test("implicit TLS to the plain port is .tlsFailed; STARTTLS to the TLS port waits for a greeting that never comes: .timeout")
    func wrongPorts() async throws {
        try await DovecotServer.withServer(.init(tls: true)) { server in
            var tlsToPlain = try server.implicitTLSConfiguration()
            tlsToPlain.port = server.plainPort
            let handshake = try await clientError {
                try await IMAPConnection.withSession(tlsToPlain) { _ in }
            }
            #expect(handshake.code == .tlsFailed)

            var plainToTLS = server.startTLSConfiguration()
            plainToTLS.port = try #require(server.tlsPort)
            plainToTLS.timeouts.read = .seconds(1)
            let silent = try await clientError {
                try await IMAPConnection.withSession(plainToTLS) { _ in }
            }
            #expect(silent.code == .timeout)
        }
    }

    @Test("a port nobody listens on is .connectionFailed")
    func closedPort() async throws {
        let port = try LoopbackPort.closed()
        let configuration = ConnectionConfiguration(host: "127.0.0.1", port: port, security: .implicitTLS)
        let error = try await clientError {
            try await IMAPConnection.withSession(configuration) { _ in }
        }
        #expect(error.code == .connectionFailed)
        #expect(error.message.contains("\(port)"))
    }

    @Test("STARTTLS against a server without TLS is .tlsFailed unless plain text is allowed; plain login needs permission")
    func startTLSWithoutTLS() async throws {
        try await DovecotServer.withServer { server in
            let refused = try await clientError {
                try await IMAPConnection.withSession(server.startTLSConfiguration()) { _ in }
            }
            #expect(refused.code == .tlsFailed)
            #expect(refused.message.contains("STARTTLS"))

            try await IMAPConnection.withSession(server.startTLSConfiguration(allowPlaintext: true)) { session in
                #expect(!session.isEncrypted)
                try await session.authenticate(server.aliceCredentials)
                #expect(session.supports(.multiAppend))
            }

            var plain = server.plainConfiguration
            plain.allowPlaintext = false
            let notAllowed = try await clientError {
                try await IMAPConnection.withSession(plain) { session in
                    try await session.authenticate(server.aliceCredentials)
                }
            }
            #expect(notAllowed.code == .plaintextRefused)
        }
    }
}
