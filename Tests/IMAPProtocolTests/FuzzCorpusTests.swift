import Foundation
import IMAPProtocol
import NIOCore
import Testing

/// The fuzz target's checks, run in the ordinary test suite: the seed corpus (fixtures/fuzz)
/// and a few thousand deterministic mutations of it parse without a crash, and a parse that
/// succeeds gives the same events in every chunking. Inputs that once broke the parser are
/// kept in `regressions`; a crash `scripts/fuzz` finds is added there.
@Suite("Response parser: fuzz corpus")
struct FuzzCorpusTests {
    static let corpusDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("fixtures/fuzz")

    static func corpus() throws -> [(String, [UInt8])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpusDirectory.path).sorted()
        return try names.map { ($0, Array(try Data(contentsOf: corpusDirectory.appendingPathComponent($0)))) }
    }

    static let smallLimits = ParserLimits(
        maximumLineLength: 256, maximumLiteralSize: 4096, maximumBufferedLiteralSize: 64,
        maximumNestingDepth: 8, maximumItemCount: 16, maximumResponseSize: 1024)

    /// Fails the test when a successful parse of `input` depends on how it was chunked.
    static func checkChunkings(_ input: [UInt8], limits: ParserLimits, sourceLocation: SourceLocation = #_sourceLocation) {
        let whole = ParserHarness.run(input, limits: limits)
        var cutSets = [1, 2, 3, 7, 64].map { size in Array(stride(from: size, to: input.count, by: size)) }
        cutSets.append(input.indices.filter { input[$0] == UInt8(ascii: "\n") }.map { $0 + 1 })
        for cuts in cutSets {
            let chunked = ParserHarness.run(input, cuts: cuts, limits: limits)
            guard whole.error == nil, chunked.error == nil else { continue }
            #expect(chunked.merged == whole.merged, "cuts \(cuts.prefix(6))…", sourceLocation: sourceLocation)
            #expect(chunked.leftover == whole.leftover, sourceLocation: sourceLocation)
        }
    }

    @Test("every seed parses completely and the same in every chunking")
    func seeds() throws {
        let corpus = try Self.corpus()
        #expect(corpus.count >= 8)
        for (name, bytes) in corpus {
            Self.checkChunkings(bytes, limits: ParserLimits())
            Self.checkChunkings(bytes, limits: Self.smallLimits)
            if name.hasSuffix(".txt") && !name.hasPrefix("hostile") {
                let run = ParserHarness.run(bytes)
                #expect(run.error == nil, "\(name): \(run)")
                #expect(run.leftover == 0, "\(name)")
            }
        }
    }

    @Test("3,000 mutations of the seeds never crash the parser nor depend on the chunking")
    func mutations() throws {
        var random = SplitMix64(seed: 0x1A2B_3C4D)
        let seeds = try Self.corpus().map(\.1)
        let tokens: [[UInt8]] = ["{", "}", "(", ")", "\"", "\\", "\r\n", "\n", "[", "]", " ", "{99999999999}\r\n", "~{3}\r\n",
                                 "* 1 FETCH (", "NIL", "BODY[] {5}\r\n", "\u{0}", "\u{FF}"].map { Array($0.utf8) }
        for _ in 0..<3_000 {
            var input = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = input.isEmpty ? 0 : Int(random.next() % UInt64(input.count))
                switch random.next() % 4 {
                case 0: input.insert(contentsOf: tokens[Int(random.next() % UInt64(tokens.count))], at: position)
                case 1 where !input.isEmpty: input.remove(at: position)
                case 2 where !input.isEmpty: input[position] = UInt8(truncatingIfNeeded: random.next())
                default: input = Array(input[..<position])
                }
            }
            Self.checkChunkings(input, limits: Self.smallLimits)
            _ = ParserHarness.run(input)
        }
    }

    /// Inputs that once broke the parser; each must now parse or fail cleanly.
    static let regressions: [[UInt8]] = [
        // Found in review: a literal restarts the line, so a FETCH response made of literal
        // attributes never hit the line limit and never ended (now: maximumItemCount).
        Array(("* 1 FETCH (UID 1" + String(repeating: " X-JUNK {1}\r\na", count: 40) + ")\r\n").utf8),
        // Found in review: an untagged response made of literals was held whole however long
        // (now: maximumResponseSize).
        Array(("* XJUNK" + String(repeating: " {70}\r\n" + String(repeating: "j", count: 70), count: 20) + "\r\n").utf8),
    ]

    @Test("inputs that once broke the parser now parse or fail cleanly", arguments: regressions.indices)
    func regression(index: Int) {
        Self.checkChunkings(Self.regressions[index], limits: ParserLimits())
        Self.checkChunkings(Self.regressions[index], limits: Self.smallLimits)
    }
}
