import IMAPProtocol
import NIOCore
import Testing

@Suite("Response parser: limits and hostile input")
struct ResponseParserLimitsTests {
    /// Feeds `prefix` then `filler` repeated in 64 KiB chunks until an error or `total` bytes.
    static func endless(_ prefix: String, filler: UInt8, total: Int, limits: ParserLimits = ParserLimits()) -> ParseRun {
        var bytes = Array(prefix.utf8)
        bytes.append(contentsOf: repeatElement(filler, count: total))
        return ParserHarness.run(bytes, chunkSize: 65_536, limits: limits)
    }

    @Test("an endless line fails with lineTooLong before any CRLF arrives, with bounded buffering")
    func endlessLine() {
        for prefix in ["A1 OK ", "* CAPABILITY ", "* 1 FETCH (X-FOO ", "* 1 FETCH (BODY[] {3}\r\nabc", "* SEARCH ", "+ "] {
            let filler = prefix == "* SEARCH " ? UInt8(ascii: "1") : prefix.hasSuffix("abc") ? UInt8(ascii: " ") : UInt8(ascii: "x")
            let run = Self.endless(prefix, filler: filler, total: 3 << 19)
            #expect(run.error?.code == .lineTooLong, "\(prefix)")
            #expect(run.leftover < (1 << 20) + 2 * 65_536, "\(prefix)")
        }
        let garbage = Self.endless("", filler: 0x07, total: 3 << 19)
        #expect(garbage.error != nil)
    }

    @Test("the line limit counts bytes before CRLF, per line, literals excluded")
    func lineLimitBoundary() {
        let limits = ParserLimits(maximumLineLength: 20)
        #expect(ParserHarness.run("A1 OK " + String(repeating: "x", count: 14) + "\r\n", limits: limits).error == nil)
        #expect(ParserHarness.run("A1 OK " + String(repeating: "x", count: 15) + "\r\n", limits: limits).error?.code == .lineTooLong)
        let literal = "* LIST () \"/\" {30}\r\n" + String(repeating: "m", count: 30) + "\r\n"
        #expect(ParserHarness.run(literal, limits: limits).error == nil)
        let fetch = "* 1 FETCH (UID 1 BODY[] {40}\r\n" + String(repeating: "b", count: 40) + " UID 2)\r\n"
        #expect(ParserHarness.run(fetch, limits: ParserLimits(maximumLineLength: 28)).error == nil)
        #expect(ParserHarness.run(fetch, limits: ParserLimits(maximumLineLength: 27)).error?.code == .lineTooLong)
    }

    @Test("a huge literal announcement fails at once with literalTooLarge")
    func hugeLiteral() {
        let rows: [(String, ParserLimits)] = [
            ("* 1 FETCH (BODY[] {99999999999999999999999999}\r\n", ParserLimits()),
            ("* 1 FETCH (BODY[] {3000000000", ParserLimits()),
            ("* 1 FETCH (BODY[] {101}\r\n", ParserLimits(maximumLiteralSize: 100)),
            ("* 1 FETCH (X-FOO {1048577}\r\n", ParserLimits()),
            ("* 1 FETCH (BODYSTRUCTURE ({11}\r\n", ParserLimits(maximumBufferedLiteralSize: 10)),
            ("* LIST () \"/\" {1048577}\r\n", ParserLimits()),
            ("* ID (\"name\" {2000000}\r\n", ParserLimits()),
            ("* XFOO bar {1048577}\r\n", ParserLimits()),
        ]
        for (input, limits) in rows {
            #expect(ParserHarness.run(input, limits: limits).error?.code == .literalTooLarge, "\(input)")
        }
        #expect(ParserHarness.run("* 1 FETCH (BODY[] {100}\r\n", limits: ParserLimits(maximumLiteralSize: 100)).error == nil)
        #expect(ParserHarness.run("* LIST () \"/\" {1048576}\r\n").error == nil)
    }

    @Test("10,000-deep nesting fails with nestingTooDeep; the limit itself is accepted")
    func deepNesting() {
        let deep = "* 1 FETCH (BODYSTRUCTURE " + String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000) + ")\r\n"
        #expect(ParserHarness.run(deep).error?.code == .nestingTooDeep)
        let listDeep = "* LIST () \"/\" x (\"X\" " + String(repeating: "(", count: 10_000) + "\r\n"
        #expect(ParserHarness.run(listDeep).error?.code == .nestingTooDeep)
        let atLimit = "* 1 FETCH (BODYSTRUCTURE " + String(repeating: "(", count: 64) + String(repeating: ")", count: 64) + ")\r\n"
        #expect(ParserHarness.run(atLimit).error == nil)
        let overLimit = "* 1 FETCH (BODYSTRUCTURE " + String(repeating: "(", count: 65) + String(repeating: ")", count: 65) + ")\r\n"
        #expect(ParserHarness.run(overLimit).error?.code == .nestingTooDeep)
    }

    @Test("lists with more items than allowed fail with tooManyItems")
    func tooManyItems() {
        let atoms = (0..<10_001).map { "X\($0)" }.joined(separator: " ")
        #expect(ParserHarness.run("* CAPABILITY \(atoms)\r\n").error?.code == .tooManyItems)
        #expect(ParserHarness.run("* 1 FETCH (FLAGS (\(atoms)))\r\n").error?.code == .tooManyItems)
        #expect(ParserHarness.run("* 1 FETCH (X-FOO (\(atoms)))\r\n").error?.code == .tooManyItems)
        let fewer = (0..<10_000).map { "X\($0)" }.joined(separator: " ")
        #expect(ParserHarness.run("* CAPABILITY \(fewer)\r\n").error == nil)
        let search = (1...50_000).map(String.init).joined(separator: " ")
        #expect(ParserHarness.run("* SEARCH \(search)\r\n").error == nil)
    }

    @Test("random garbage lines give typed errors or events, never a crash or a hang")
    func garbage() {
        var random = SplitMix64(seed: 42)
        var failures = 0
        for _ in 0..<500 {
            let length = Int(random.next() % 200)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
            bytes += [0x0D, 0x0A]
            if ParserHarness.run(bytes).error != nil { failures += 1 }
        }
        #expect(failures > 400)
        #expect(ParserHarness.run([0x00, 0x01, 0x02, 0x0D, 0x0A]).error?.code == .malformed)
    }

    @Test("mutated fixtures never crash, at any chunking")
    func mutatedFixtures() {
        var random = SplitMix64(seed: 7)
        for fixture in ResponseParserChunkingTests.fixtures {
            let original = Array(fixture.utf8)
            for _ in 0..<30 {
                var bytes = original
                for _ in 0..<3 {
                    let index = Int(random.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: random.next())
                }
                let whole = ParserHarness.run(bytes)
                let trickled = ParserHarness.run(bytes, chunkSize: Int(random.next() % 7) + 1)
                if whole.error == nil && trickled.error == nil {
                    #expect(whole.merged == trickled.merged)
                }
            }
        }
    }

    @Test("after an error every later call throws the same error")
    func stickyError() throws {
        var parser = ResponseParser()
        var buffer = ByteBuffer(string: "A1 MAYBE\r\nA2 OK fine\r\n")
        let first = #expect(throws: IMAPProtocolError.self) { try parser.parse(&buffer) }
        let second = #expect(throws: IMAPProtocolError.self) { try parser.parse(&buffer) }
        #expect(first == second)
        #expect(first?.message.contains("MAYBE") == true)
    }
}
