@testable import IMAPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

/// COMPRESS=DEFLATE framing (RFC 4978 §4) in an EmbeddedChannel: round trips, chunk
/// bounds, corrupt input, bombs and flush semantics.
@Suite("DEFLATE compression handler")
struct DeflateCompressionHandlerTests {
    enum Payload: String, Sendable { case random, text }
    enum Fragments: String, Sendable { case singleBytes, random }

    struct Case: Sendable, CustomTestStringConvertible {
        var size: Int
        var payload: Payload
        var fragments: Fragments
        var testDescription: String { "\(size) B \(payload.rawValue) in \(fragments.rawValue) fragments" }
    }

    static let chunkLimit = 64 * 1024
    static let singleByteSpan = 256 * 1024

    static let cases: [Case] = [0, 1, 5_000_000].flatMap { size in
        [Payload.random, .text].flatMap { payload in
            [Fragments.singleBytes, .random].map { Case(size: size, payload: payload, fragments: $0) }
        }
    }

    @Test("a compressed stream inflates to the same bytes, in chunks of at most 64 KiB", arguments: cases)
    func roundTrip(_ testCase: Case) throws {
        var random = SeededGenerator(seed: UInt64(testCase.size) &+ (testCase.payload == .text ? 7 : 3))
        let data = testCase.payload == .text ? random.text(testCase.size) : random.bytes(testCase.size)

        let sender = try CompressionDriver()
        let writes = random.fragmentSizes(total: data.count, largest: 100_000)
        let compressed = try sender.compress(data, pieces: writes, flushEvery: 3)
        #expect(sender.largestOutboundChunk <= Self.chunkLimit)
        if testCase.payload == .text && testCase.size > 1000 {
            #expect(compressed.count < data.count / 2, "text compressed to \(compressed.count) bytes")
        }

        let receiver = try CompressionDriver()
        // 1-byte reads cost ~10 µs each in a debug build: they cover the first 256 KiB of the
        // stream (dozens of DEFLATE blocks, every header split at every bit), random reads the rest.
        let singleBytes = testCase.fragments == .singleBytes ? min(compressed.count, Self.singleByteSpan) : 0
        let reads = Array(repeating: 1, count: singleBytes)
            + random.fragmentSizes(total: compressed.count - singleBytes, largest: 40_000)
        let inflated = try receiver.inflate(compressed, pieces: reads, drainEvery: testCase.fragments == .singleBytes ? 4096 : 1)
        #expect(inflated.count == data.count)
        #expect(inflated == data)
        #expect(receiver.largestInboundChunk <= Self.chunkLimit)
    }

    @Test("a stream from another DEFLATE implementation (Python's zlib, Z_SYNC_FLUSH) inflates")
    func foreignStream() throws {
        let fromPython: [UInt8] = [
            210, 82, 240, 247, 86, 136, 118, 118, 12, 112, 116, 242, 244, 241, 12, 137, 84, 240, 244, 117, 12, 48,
            41, 74, 45, 51, 140, 85, 40, 74, 77, 76, 169, 228, 229, 2, 0, 0, 0, 255, 255,
        ]
        let receiver = try CompressionDriver()
        let inflated = try receiver.inflate(fromPython, pieces: [fromPython.count])
        #expect(String(decoding: inflated, as: UTF8.self) == "* OK [CAPABILITY IMAP4rev1] ready\r\n")
    }

    @Test("a corrupt stream fails with protocolViolation and closes the connection")
    func corruptStream() throws {
        let driver = try CompressionDriver()
        // 0xFF: a final block of the reserved type 3 (RFC 1951 §3.2.3).
        let error = #expect(throws: IMAPClientError.self) {
            try driver.channel.writeInbound(ByteBuffer(bytes: [0xFF, 0xFF, 0x00, 0x12]))
        }
        #expect(error?.code == .protocolViolation)
        #expect(!driver.channel.isActive)
    }

    @Test("bytes after the end of the compressed stream are refused")
    func dataAfterEnd() throws {
        let driver = try CompressionDriver()
        // Python: raw deflate of "a" with Z_FINISH, then stray bytes.
        let error = #expect(throws: IMAPClientError.self) {
            try driver.channel.writeInbound(ByteBuffer(bytes: [75, 4, 0, 0x2A, 0x2A]))
        }
        #expect(error?.code == .protocolViolation)
    }

    @Test("a deflate bomb is inflated one bounded chunk per read, never all at once")
    func bomb() throws {
        let expanded = 40 * 1024 * 1024
        let bomb = try CompressionDriver(level: 9).compress([UInt8](repeating: 0, count: expanded), pieces: [expanded])
        #expect(bomb.count < expanded / 500, "bomb of \(bomb.count) bytes")

        let chunkSize = 16 * 1024
        let driver = try CompressionDriver(chunkSize: chunkSize)
        var received: [UInt8] = []
        try driver.channel.writeInbound(ByteBuffer(bytes: bomb))
        #expect(try driver.collectInbound(into: &received))
        #expect(received.count == chunkSize, "one chunk before any demand")

        // Each demand yields exactly one more chunk; the scheduled follow-up read is not run.
        for round in 2...5 {
            driver.channel.read()
            _ = try driver.collectInbound(into: &received)
            #expect(received.count == round * chunkSize)
        }
        try driver.drain(into: &received)
        #expect(received.count == expanded)
        #expect(received.allSatisfy { $0 == 0 })
        #expect(driver.largestInboundChunk == chunkSize)
    }

    @Test("a flushed command reaches the server whole, and its write completes with the flush")
    func flushDeliversCommand() throws {
        let driver = try CompressionDriver()
        let command = Array("C5 UID FETCH 1:* (UID BODY.PEEK[])\r\n".utf8)
        let written = driver.channel.write(ByteBuffer(bytes: command))
        let completed = NIOLockedValueBox(false)
        written.whenSuccess { completed.withLockedValue { $0 = true } }
        #expect(!completed.withLockedValue { $0 })
        driver.channel.flush()
        #expect(completed.withLockedValue { $0 })
        let sent = try driver.readOutbound()
        #expect(Array(sent.suffix(4)) == [0x00, 0x00, 0xFF, 0xFF], "ends with the Z_SYNC_FLUSH marker")

        let server = try CompressionDriver()
        #expect(try server.inflate(sent, pieces: [sent.count]) == command)

        // Nothing new: a second flush adds no empty block.
        driver.channel.flush()
        #expect(try driver.readOutbound().isEmpty)
    }

    @Test("writes still inside the compressor fail when the handler goes away")
    func removalFailsPendingWrites() throws {
        let driver = try CompressionDriver()
        let written = driver.channel.write(ByteBuffer(string: "C6 NOOP\r\n"))
        let failed = NIOLockedValueBox(false)
        written.whenFailure { _ in failed.withLockedValue { $0 = true } }
        _ = try driver.channel.finish(acceptAlreadyClosed: true)
        #expect(failed.withLockedValue { $0 })
    }
}
