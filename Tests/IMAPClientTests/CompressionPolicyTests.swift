import IMAPClient
import Testing

/// Which hosts count as loopback, and what each policy decides (RFC 4978 is only used when offered).
@Suite("Compression policy")
struct CompressionPolicyTests {
    @Test("loopback names and addresses are recognised", arguments: [
        ("localhost", true), ("LOCALHOST.", true), ("mail.localhost", true),
        ("127.0.0.1", true), ("127.1.2.3", true), ("::1", true), ("[::1]", true),
        ("0:0:0:0:0:0:0:1", true), ("::ffff:127.0.0.1", true),
        ("128.0.0.1", false), ("10.0.0.1", false), ("::2", false), ("::ffff:10.0.0.1", false),
        ("imap.gmail.com", false), ("localhost.example.org", false), ("", false),
    ])
    func loopback(host: String, expected: Bool) {
        #expect(CompressionPolicy.isLoopback(host: host) == expected)
    }

    @Test("off never compresses, on compresses whenever offered, auto only away from loopback")
    func decisions() {
        for host in ["imap.example.org", "127.0.0.1"] {
            #expect(!CompressionPolicy.off.wantsCompression(host: host, serverOffers: true))
            #expect(CompressionPolicy.on.wantsCompression(host: host, serverOffers: true))
            for policy in CompressionPolicy.allCases {
                #expect(!policy.wantsCompression(host: host, serverOffers: false))
            }
        }
        #expect(CompressionPolicy.auto.wantsCompression(host: "imap.example.org", serverOffers: true))
        #expect(!CompressionPolicy.auto.wantsCompression(host: "127.0.0.1", serverOffers: true))
    }

    @Test("the raw values are the command-line spellings, and auto is the default")
    func spellings() {
        #expect(CompressionPolicy.allCases.map(\.rawValue) == ["auto", "on", "off"])
        #expect(ConnectionConfiguration(host: "h", port: 993, security: .implicitTLS).compression == .auto)
    }
}
