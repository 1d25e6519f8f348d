import Testing
@testable import Crate

@Suite("mboxrd From quoting")
struct MboxrdEscapingTests {
    static func run(_ direction: MboxrdEscaping.Direction, _ input: [UInt8], chunk: Int) -> [UInt8] {
        var transform = MboxrdEscaping(direction)
        var output: [UInt8] = []
        var offset = 0
        while offset < input.count {
            let end = min(offset + chunk, input.count)
            transform.process(Array(input[offset..<end])) { output.append(contentsOf: $0) }
            offset = end
        }
        transform.finish { output.append(contentsOf: $0) }
        return output
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("escaping adds one > to lines matching >*From , and only to those", arguments: [
        ("From x\n", ">From x\n"),
        (">From x\n", ">>From x\n"),
        (">>From x\n", ">>>From x\n"),
        ("a\nFrom x\nb", "a\n>From x\nb"),
        ("From", "From"),
        ("From\n", "From\n"),
        (">From", ">From"),
        ("From ", ">From "),
        ("Fromage\n", "Fromage\n"),
        (" From x\n", " From x\n"),
        ("x From y\n", "x From y\n"),
        (">>>x\n", ">>>x\n"),
        (">F>From \n", ">F>From \n"),
        ("\n\nFrom \n", "\n\n>From \n"),
        ("a\r\nFrom b\r\n", "a\r\n>From b\r\n"),
        ("", ""),
    ])
    func escape(input: String, expected: String) {
        for chunk in 1...max(1, input.utf8.count) {
            #expect(Self.run(.escape, Self.bytes(input), chunk: chunk) == Self.bytes(expected), "chunk \(chunk)")
        }
    }

    @Test("unescaping removes one > from lines matching >+From , and leaves bare From lines", arguments: [
        (">From x\n", "From x\n"),
        (">>From x\n", ">From x\n"),
        ("From x\n", "From x\n"),
        (">From", ">From"),
        (">F\n", ">F\n"),
        ("a\n>>>From b", "a\n>>From b"),
    ])
    func unescape(input: String, expected: String) {
        for chunk in 1...max(1, input.utf8.count) {
            #expect(Self.run(.unescape, Self.bytes(input), chunk: chunk) == Self.bytes(expected), "chunk \(chunk)")
        }
    }

    @Test("unescape(escape(x)) == x for every chunking of tricky messages")
    func roundTrip() {
        let samples = SampleMessages.all.filter { $0.bytes.count < 10_000 }.map(\.bytes) + [
            Self.bytes(String(repeating: ">", count: 600) + "From \n" + String(repeating: ">", count: 300) + "x"),
            Self.bytes(">>>>From\n>>>>From \nFrom From From \n>"),
        ]
        for sample in samples {
            for chunk in [1, 2, 3, 5, 7, 64, sample.count + 1] {
                let escaped = Self.run(.escape, sample, chunk: chunk)
                #expect(Self.run(.unescape, escaped, chunk: 11) == sample)
                #expect(Self.run(.unescape, escaped, chunk: chunk) == sample)
            }
        }
    }

    @Test("a long run of > is passed through in bounded pieces")
    func longPrefix() {
        let input = Self.bytes(String(repeating: ">", count: 100_000) + "From x\n")
        let escaped = Self.run(.escape, input, chunk: 4096)
        #expect(escaped.count == input.count + 1)
        #expect(Self.run(.unescape, escaped, chunk: 999) == input)
    }
}
