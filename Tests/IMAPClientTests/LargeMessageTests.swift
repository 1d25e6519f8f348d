import IMAPClient
import IMAPProtocol
import NIOCore
import Testing
import TestSupport

/// A 30 MiB message goes to Dovecot and back in chunks, never as one buffer.
@Suite("Large messages against Dovecot")
struct LargeMessageTests {
    static let size = 30 * 1024 * 1024
    static let appendChunk = 256 * 1024
    /// No FETCH chunk may be bigger: bodies must stream, not be buffered whole.
    static let largestChunk = 1024 * 1024

    @Test("a 30 MiB message is appended in chunks and fetched as many bounded chunks with identical bytes")
    func thirtyMebibytes() async throws {
        let message = GeneratedMessage(approximateSize: Self.size, label: "thirty-mebibytes")
        try #require(message.count > 30_000_000)
        try await DovecotServer.withServer { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)

                let command = try await session.beginAppend(to: .inbox)
                let header = AppendMessageHeader(flags: [.seen], internalDate: nil, byteCount: message.count)
                #expect(try await command.beginMessage(header))
                var offset = 0
                while offset < message.count {
                    let end = min(message.count, offset + Self.appendChunk)
                    try await command.write(ByteBuffer(bytes: message.bytes(offset..<end)))
                    offset = end
                }
                let response = try await session.complete(try await command.finish())
                guard case .appendUID(_, let uids)? = response.code, let uid = uids.first?.lowerBound else {
                    Issue.record("no APPENDUID: \(String(describing: response.code))")
                    return
                }

                _ = try await session.select(.inbox, readOnly: true)
                var announced: Int?
                var received = 0
                var chunks = 0
                var largest = 0
                var mismatchAt: Int?
                var fetchedUID: UInt32?
                for try await event in session.uidFetch(["\(uid)"], items: [.uid, .bodyPeek(section: "")]) {
                    switch event {
                    case .attribute(.uid(let value)):
                        fetchedUID = value
                    case .streamingBegin(_, let byteCount):
                        announced = byteCount
                    case .streamingBytes(let chunk):
                        chunks += 1
                        largest = max(largest, chunk.readableBytes)
                        if mismatchAt == nil && !message.matches(chunk.readableBytesView, at: received) {
                            mismatchAt = received
                        }
                        received += chunk.readableBytes
                    default:
                        break
                    }
                }
                #expect(fetchedUID == uid)
                #expect(announced == message.count)
                #expect(received == message.count)
                #expect(mismatchAt == nil, "first differing chunk at byte \(mismatchAt ?? -1)")
                #expect(chunks > 30, "\(chunks) chunks")
                #expect(largest <= Self.largestChunk, "largest chunk \(largest) bytes")
            }
        }
    }
}
