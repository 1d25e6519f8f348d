import Testing
@testable import IMAPClient

/// Connections with the same TLS settings share one context (the trusted roots are parsed
/// once per process); different settings never share one.
@Suite("TLS context cache")
struct TLSContextCacheTests {
    func configuration(caFile: String? = nil, insecure: Bool = false) -> ConnectionConfiguration {
        ConnectionConfiguration(
            host: "mail.example.org", port: 993, security: .implicitTLS,
            tls: .init(caFilePath: caFile, insecureSkipVerify: insecure))
    }

    @Test("the same settings give the same context, other settings another one")
    func sharing() throws {
        let first = try #require(try IMAPConnection.makeTLSContext(configuration()))
        let second = try #require(try IMAPConnection.makeTLSContext(configuration()))
        #expect(first === second)
        let insecure = try #require(try IMAPConnection.makeTLSContext(configuration(insecure: true)))
        #expect(insecure !== first)
        #expect(try IMAPConnection.makeTLSContext(ConnectionConfiguration(host: "h", port: 143, security: .plain)) == nil)
    }

    @Test("a CA file that cannot be read is an error every time, never cached")
    func unreadableCAFile() throws {
        for _ in 0..<2 {
            #expect(throws: IMAPClientError.self) {
                _ = try IMAPConnection.makeTLSContext(configuration(caFile: "/nonexistent/ca.pem"))
            }
        }
    }
}
