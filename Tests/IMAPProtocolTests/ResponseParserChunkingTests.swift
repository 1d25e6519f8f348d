import IMAPProtocol
import Testing

/// The decoder verifier: however the bytes are split into arrivals, the events are the same
/// (once consecutive `.streamingBytes` are joined) and nothing is left over.
@Suite("Response parser: chunking invariance")
struct ResponseParserChunkingTests {
    static let fixtures: [String] =
        ResponseParserFetchTests.rows.map(\.input)
        + ["* 1 FETCH (UID 1 BODY[] {5}\r\nab)\r\n UID 2)\r\n* 2 FETCH (BODY[1]<5> {3}\r\n{5})\r\nA1 OK done\r\n",
           "* LIST (\\Noselect) \"/\" {5}\r\nhe)lo\r\n* ID (\"name\" {7}\r\nDovecot)\r\n+ go\r\n",
           "* METADATA \"INBOX\" (/private/comment {3}\r\n)\r\n)\r\n* 3 EXISTS\r\n"]
        + ServerTranscripts.all.map(\.1)

    @Test("splitting once at every byte position gives the same events", arguments: fixtures)
    func everySplit(_ fixture: String) {
        let bytes = Array(fixture.utf8)
        let whole = ParserHarness.run(bytes)
        #expect(whole.error == nil)
        #expect(whole.leftover == 0)
        for cut in 1..<bytes.count {
            let split = ParserHarness.run(bytes, cuts: [cut])
            #expect(split.merged == whole.merged, "cut at \(cut)")
            #expect(split.error == nil && split.leftover == 0, "cut at \(cut)")
        }
    }

    @Test("one byte at a time gives the same events", arguments: fixtures)
    func byteByByte(_ fixture: String) {
        let bytes = Array(fixture.utf8)
        let whole = ParserHarness.run(bytes)
        let trickled = ParserHarness.run(bytes, chunkSize: 1)
        #expect(trickled.merged == whole.merged)
        #expect(trickled.error == nil && trickled.leftover == 0)
    }

    @Test("random multi-way splits give the same events", arguments: fixtures)
    func randomSplits(_ fixture: String) {
        let bytes = Array(fixture.utf8)
        let whole = ParserHarness.run(bytes)
        var random = SplitMix64(seed: UInt64(bytes.count))
        for _ in 0..<40 {
            let cuts = (0..<Int(random.next() % 8)).map { _ in Int(random.next() % UInt64(bytes.count)) }.sorted()
            let split = ParserHarness.run(bytes, cuts: cuts)
            #expect(split.merged == whole.merged, "cuts \(cuts)")
        }
    }
}

/// A small deterministic generator, so failures reproduce.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
