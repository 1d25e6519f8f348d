import Foundation
import Testing
@testable import Crate

@Suite("GzipWriter adapts to high-entropy input")
struct AdaptiveGzipTests {
    /// Deterministic pseudo-random bytes (xorshift), like a JPEG or a zip.
    static func randomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return UInt8(truncatingIfNeeded: state)
        }
    }

    /// MIME base64 with 76-character CRLF lines, as mail carries attachments.
    static func base64Lines(_ bytes: [UInt8]) -> [UInt8] {
        Array(Data(bytes).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed]).utf8)
    }

    static let words = "the of and to mailbox server message folder migration export import crate backup meeting"
        .split(separator: " ")

    static func text(_ count: Int) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while result.count < count {
            result.append(contentsOf: Self.words[(index * 7 + index / 3) % Self.words.count].utf8)
            result.append(index % 13 == 12 ? 0x0A : 0x20)
            index += 1
        }
        return Array(result.prefix(count))
    }

    /// A message with a text part, a base64 attachment of random bytes, and a text trailer.
    static let message: [UInt8] = Array("Subject: report\r\nContent-Type: multipart/mixed\r\n\r\n".utf8)
        + text(40_000) + base64Lines(randomBytes(300_000)) + text(20_000)

    func compressed(_ input: [UInt8], level: Int, chunk: Int) throws -> [UInt8] {
        let writer = try GzipWriter(level: level)
        var output: [UInt8] = []
        var offset = 0
        while offset < input.count {
            let end = min(offset + chunk, input.count)
            try writer.write(Array(input[offset..<end])) { output.append(contentsOf: $0) }
            offset = end
        }
        try writer.finish { output.append(contentsOf: $0) }
        return output
    }

    @Test("entropy estimates separate mail text from base64 of random data")
    func entropyClasses() {
        let base64 = Self.base64Lines(Self.randomBytes(100_000))
        let plain = Self.text(100_000)
        let random = Self.randomBytes(100_000)
        base64.withUnsafeBytes { #expect(ByteEntropy.bitsPerByte($0) > 5.9) }
        random.withUnsafeBytes { #expect(ByteEntropy.isHighEntropy($0)) }
        plain.withUnsafeBytes {
            #expect(ByteEntropy.bitsPerByte($0) < 5)
            #expect(!ByteEntropy.isHighEntropy($0))
        }
        Array(repeating: UInt8(ascii: "A"), count: 10_000).withUnsafeBytes { #expect(ByteEntropy.bitsPerByte($0) == 0) }
        [UInt8]().withUnsafeBytes { #expect(ByteEntropy.bitsPerByte($0) == 0) }
    }

    @Test("a message switching between text and base64 round-trips at every level and chunk size",
          arguments: [1, 3, 5, 6])
    func mixedRoundTrip(level: Int) throws {
        for chunk in [1_000, 4_096, 16_384, 65_536, Self.message.count] {
            let gzip = try compressed(Self.message, level: level, chunk: chunk)
            #expect(try GzipReader.decompress(gzip) == Self.message, "level \(level), chunks of \(chunk)")
        }
    }

    @Test("system gzip reads a member whose strategy changed mid-stream")
    func systemGzipReadsIt() throws {
        let gzip = try compressed(Self.message, level: 1, chunk: 65_536)
        let result = try ExternalTool.run(["gzip", "-dc"], stdin: Data(gzip))
        #expect(result.status == 0)
        #expect(Array(result.stdout) == Self.message)
    }

    @Test("levels 2 to 5 Huffman-code base64 attachments: no larger than level 6's string search",
          arguments: [2, 5])
    func ratioOnBase64(level: Int) throws {
        let attachment = Self.base64Lines(Self.randomBytes(1_000_000))
        let adaptive = try compressed(attachment, level: level, chunk: 65_536)
        let searching = try compressed(attachment, level: 6, chunk: 65_536)
        #expect(try GzipReader.decompress(adaptive) == attachment)
        // Base64 carries 6 bits per byte: about 75% is the floor for any deflate coding.
        #expect(adaptive.count < attachment.count * 77 / 100)
        #expect(adaptive.count <= searching.count + searching.count / 50)
    }

    @Test("level 1 stores base64 attachments and still compresses the text around them")
    func levelOneStores() throws {
        let attachment = Self.base64Lines(Self.randomBytes(1_000_000))
        let stored = try compressed(attachment, level: 1, chunk: 65_536)
        #expect(try GzipReader.decompress(stored) == attachment)
        // Stored blocks: 5 bytes per 64 KiB block, plus the gzip header and trailer.
        #expect(stored.count >= attachment.count)
        #expect(stored.count < attachment.count + attachment.count / 100)
        let mixed = try compressed(Self.message, level: 1, chunk: 65_536)
        #expect(try GzipReader.decompress(mixed) == Self.message)
        let textPart = 40_000 + 20_000
        #expect(mixed.count < Self.message.count - textPart / 2, "the text parts were not compressed")
    }

    @Test("text keeps the level's string search: far smaller than Huffman-only would give")
    func textStillSearched() throws {
        let plain = Self.text(200_000)
        let gzip = try compressed(plain, level: 1, chunk: 65_536)
        #expect(try GzipReader.decompress(gzip) == plain)
        #expect(gzip.count < plain.count / 5)
    }

    @Test("levels 6 to 9 never adapt; 0 stores")
    func adaptiveLevels() throws {
        #expect(try GzipWriter(level: 1).isAdaptive)
        #expect(try GzipWriter(level: 5).isAdaptive)
        #expect(try !GzipWriter(level: 6).isAdaptive)
        #expect(try !GzipWriter(level: 9).isAdaptive)
        #expect(try !GzipWriter(level: 0).isAdaptive)
    }

    @Test("members after a Huffman-only member start from the right strategy")
    func membersAfterSwitch() throws {
        let writer = try GzipWriter(level: 1)
        var members: [[UInt8]] = []
        for part in [Self.base64Lines(Self.randomBytes(50_000)), Self.text(50_000), Self.base64Lines(Self.randomBytes(3_000)), Array("short".utf8)] {
            var member: [UInt8] = []
            try writer.write(part) { member.append(contentsOf: $0) }
            try writer.finish { member.append(contentsOf: $0) }
            #expect(try GzipReader.decompress(member) == part)
            members.append(member)
        }
        #expect(members[1].count < 50_000 / 5)
    }
}
