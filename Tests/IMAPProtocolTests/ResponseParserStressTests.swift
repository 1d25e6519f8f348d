import IMAPProtocol
import NIOCore
import Testing

@Suite("Response parser: large bodies stream in bounded memory")
struct ResponseParserStressTests {
    @Test("a 30 MB literal fed in 64 KiB chunks streams without any event larger than a chunk")
    func thirtyMegabyteLiteral() throws {
        let bodySize = 30 * 1024 * 1024
        let chunkSize = 64 * 1024
        var parser = ResponseParser()
        var buffer = ByteBuffer()
        var events: [ResponseEvent] = []
        var streamed = 0
        var checksum: UInt64 = 0
        var largestEvent = 0
        var largestBuffer = 0

        func drain() throws {
            while let event = try parser.parse(&buffer) {
                if case .fetch(.streamingBytes(let bytes)) = event {
                    largestEvent = max(largestEvent, bytes.readableBytes)
                    streamed += bytes.readableBytes
                    checksum = bytes.withUnsafeReadableBytes { Self.checksum($0, from: checksum) }
                } else {
                    events.append(event)
                }
            }
            buffer.discardReadBytes()
            largestBuffer = max(largestBuffer, buffer.readableBytes)
        }

        buffer.writeString("* 1 FETCH (UID 42 BODY[] {\(bodySize)}\r\n")
        try drain()
        var expectedChecksum: UInt64 = 0
        var written = 0
        var chunk = (0..<chunkSize).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 13) }
        while written < bodySize {
            let count = min(chunkSize, bodySize - written)
            withUnsafeBytes(of: UInt64(written).bigEndian) { chunk.replaceSubrange(0..<8, with: $0) }
            expectedChecksum = chunk.withUnsafeBytes { Self.checksum(UnsafeRawBufferPointer(rebasing: $0[0..<count]), from: expectedChecksum) }
            buffer.writeBytes(chunk[0..<count])
            written += count
            try drain()
        }
        buffer.writeString(" FLAGS (\\Seen))\r\nA1 OK done\r\n")
        try drain()

        #expect(streamed == bodySize)
        #expect(checksum == expectedChecksum)
        #expect(largestEvent <= chunkSize)
        #expect(largestBuffer <= chunkSize)
        #expect(events == [.start(1), .attribute(.uid(42)), .begin(.wholeBody, bodySize), .end,
                           .attribute(.flags([.seen])), .finish, .tagged("A1", .ok, "done")])
    }

    static func checksum(_ bytes: UnsafeRawBufferPointer, from start: UInt64) -> UInt64 {
        var sum = start
        for byte in bytes { sum = sum &* 31 &+ UInt64(byte) }
        return sum
    }

    @Test("a long pipelined FETCH of many small messages parses in order")
    func manySmallMessages() {
        var text = ""
        for number in 1...2_000 {
            let body = "Subject: \(number)\r\n\r\nbody \(number)\r\n"
            text += "* \(number) FETCH (UID \(number + 100) FLAGS (\\Seen) BODY[] {\(body.utf8.count)}\r\n\(body))\r\n"
        }
        text += "A9 OK Fetch completed\r\n"
        let run = ParserHarness.run(text, chunkSize: 16_384)
        #expect(run.error == nil && run.leftover == 0)
        let merged = run.merged
        #expect(merged.count == 2_000 * 7 + 1)
        #expect(merged[7 * 1_999 + 1] == .attribute(.uid(2_100)))
        #expect(merged.last == .tagged("A9", .ok, "Fetch completed"))
    }
}
