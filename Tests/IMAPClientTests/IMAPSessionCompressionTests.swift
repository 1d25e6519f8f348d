import Foundation
@testable import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// COMPRESS=DEFLATE (RFC 4978) against Dovecot with and without `imap_zlib`.
@Suite("COMPRESS=DEFLATE against Dovecot")
struct IMAPSessionCompressionTests {
    static let compressingServer = DovecotServer.Configuration(compression: true)

    /// A ~3 MB MIME message: a mail-like text part and a base64 part of random bytes.
    static func mixedMessage() -> [UInt8] {
        var random = SeededGenerator(seed: 4978)
        let text = String(decoding: random.text(900_000), as: UTF8.self)
        let base64 = Data(random.bytes(1_600_000)).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        let message = """
            From: Sender <sender@example.org>\r
            To: alice@example.org\r
            Subject: compressed round trip\r
            Message-ID: <compress-4978@imapcrate.test>\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b4978"\r
            \r
            --b4978\r
            Content-Type: text/plain; charset=utf-8\r
            Content-Transfer-Encoding: 8bit\r
            \r
            \(text)\r
            --b4978\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            \(base64)\r
            --b4978--\r

            """
        return Array(message.utf8)
    }

    /// The connection's pipeline holds the DEFLATE handler.
    static func pipelineCompresses(_ session: IMAPSession) async -> Bool {
        (try? await session.channel.pipeline.containsHandler(type: DeflateCompressionHandler.self).get()) != nil
    }

    @Test("with policy on, LIST, a 3 MB APPEND and UID FETCH BODY.PEEK[] run compressed and keep every byte")
    func compressedRoundTrip() async throws {
        let message = Self.mixedMessage()
        try #require(message.count > 3_000_000)
        try await DovecotServer.withServer(Self.compressingServer) { server in
            var configuration = server.plainConfiguration
            configuration.compression = .on
            try await IMAPConnection.withSession(configuration) { session in
                try await session.authenticate(server.aliceCredentials)
                try #require(session.supports(.compressDeflate))
                #expect(try await session.applyCompressionPolicy())
                #expect(session.isCompressed)
                #expect(await Self.pipelineCompresses(session))
                // Already active: no second COMPRESS (it would earn NO [COMPRESSIONACTIVE]).
                #expect(try await session.startCompression())

                let folder = MailboxName(displayName: "Compressed")
                try await session.create(folder)
                let names = try await session.listAll().map(\.mailbox)
                #expect(names.contains(.inbox))
                #expect(names.contains(folder))

                let uid = try await session.append(to: folder, flags: [.seen], internalDate: nil, message: ByteBuffer(bytes: message))
                let selected = try await session.select(folder, readOnly: true)
                #expect(selected.exists == 1)
                let fetched = try await session.uidFetch(["1:*"], items: FetchedMessage.allItems).collect()
                try #require(fetched.count == 1)
                #expect(fetched[0].uid == uid)
                #expect(fetched[0].body?.count == message.count)
                #expect(fetched[0].body == message)
                #expect(fetched[0].flags?.contains(.seen) == true)
            }
        }
    }

    @Test("over implicit TLS, compression runs inside TLS and messages still round-trip")
    func compressedInsideTLS() async throws {
        try await DovecotServer.withServer(.init(tls: true, compression: true)) { server in
            var configuration = try server.implicitTLSConfiguration()
            configuration.compression = .on
            try await IMAPConnection.withSession(configuration) { session in
                try await session.authenticate(server.aliceCredentials)
                #expect(try await session.applyCompressionPolicy())
                #expect(session.isEncrypted && session.isCompressed)
                let body = Array("Subject: inside TLS\r\n\r\n\(String(repeating: "deflate then encrypt ", count: 5000))\r\n".utf8)
                _ = try await session.append(to: .inbox, flags: [], internalDate: nil, message: ByteBuffer(bytes: body))
                _ = try await session.select(.inbox, readOnly: true)
                let fetched = try await session.uidFetch(["1:*"], items: FetchedMessage.allItems).collect()
                #expect(fetched.map(\.body) == [body])
            }
        }
    }

    @Test("with policy auto, a server on 127.0.0.1 that offers COMPRESS is not compressed")
    func autoSkipsLoopback() async throws {
        try await DovecotServer.withServer(Self.compressingServer) { server in
            var configuration = server.plainConfiguration
            configuration.compression = .auto
            try await IMAPConnection.withSession(configuration) { session in
                try await session.authenticate(server.aliceCredentials)
                #expect(session.supports(.compressDeflate))
                #expect(try await session.applyCompressionPolicy() == false)
                #expect(!session.isCompressed)
                #expect(await Self.pipelineCompresses(session) == false)
                #expect(try await session.listAll().contains { $0.mailbox == .inbox })
            }
        }
    }

    @Test("with policy on, a server without COMPRESS stays uncompressed and works")
    func onWithoutServerSupport() async throws {
        try await DovecotServer.withServer { server in
            var configuration = server.plainConfiguration
            configuration.compression = .on
            try await IMAPConnection.withSession(configuration) { session in
                try await session.authenticate(server.aliceCredentials)
                #expect(!session.supports(.compressDeflate))
                #expect(try await session.applyCompressionPolicy() == false)
                #expect(try await session.startCompression() == false)
                #expect(!session.isCompressed)
                let body = Array("Subject: plain\r\n\r\nstill works\r\n".utf8)
                _ = try await session.append(to: .inbox, flags: [], internalDate: nil, message: ByteBuffer(bytes: body))
                _ = try await session.select(.inbox, readOnly: true)
                let fetched = try await session.uidFetch(["1:*"], items: FetchedMessage.allItems).collect()
                #expect(fetched.map(\.body) == [body])
            }
        }
    }
}
