import Foundation
import IMAPClient
import IMAPProtocol
import NIOCore
import NIOPosix
import TestSupport

/// Connection settings for the test servers, so each test names only what it varies.
extension DovecotServer {
    /// Plain IMAP on the plain port (no STARTTLS), credentials in clear text allowed.
    var plainConfiguration: ConnectionConfiguration {
        ConnectionConfiguration(host: host, port: plainPort, security: .plain, allowPlaintext: true)
    }

    /// Implicit TLS on the TLS port, trusting the instance's CA unless `trustCA` is false.
    func implicitTLSConfiguration(trustCA: Bool = true) throws -> ConnectionConfiguration {
        guard let tlsPort else { throw FixtureError("the server was started without TLS") }
        return ConnectionConfiguration(host: host, port: tlsPort, security: .implicitTLS,
                                       tls: .init(caFilePath: trustCA ? caCertificatePath : nil))
    }

    /// STARTTLS on the plain port, trusting the instance's CA.
    func startTLSConfiguration(allowPlaintext: Bool = false) -> ConnectionConfiguration {
        ConnectionConfiguration(host: host, port: plainPort, security: .startTLS,
                                tls: .init(caFilePath: caCertificatePath), allowPlaintext: allowPlaintext)
    }

    /// The first configured user's password credentials.
    var aliceCredentials: Credentials {
        .password(username: users[0].name, password: users[0].password)
    }
}

extension ScriptedIMAPServer {
    /// Plain IMAP to the scripted server with a short read timeout, so a broken client
    /// fails the test instead of hanging it.
    func configuration(readTimeout: TimeAmount = .seconds(20)) -> ConnectionConfiguration {
        ConnectionConfiguration(host: host, port: port, security: .plain,
                                timeouts: .init(connect: .seconds(5), read: readTimeout), allowPlaintext: true)
    }
}

/// A test precondition that did not hold.
struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// Runs `body` expecting it to throw an `IMAPClientError`, which is returned; anything else
/// (no error, another error type) becomes a `FixtureError` naming what happened.
func clientError(_ body: () async throws -> Void) async throws -> IMAPClientError {
    do {
        try await body()
    } catch let error as IMAPClientError {
        return error
    } catch {
        throw FixtureError("expected an IMAPClientError, got \(type(of: error)): \(error)")
    }
    throw FixtureError("expected an IMAPClientError, but nothing was thrown")
}

/// The bytes of a ByteBuffer's readable region.
extension ByteBuffer {
    var bytes: [UInt8] { Array(readableBytesView) }
}
