import IMAPProtocol
import NIOCore
import Testing

/// Hostile shapes that the line, literal and nesting limits alone do not stop, because a
/// literal starts a new line: a FETCH response or an untagged response that never ends.
@Suite("Response parser: responses that never end")
struct FuzzHostileLimitsTests {
    @Test("an untagged response made of endless literals fails with responseTooLarge, buffering stays bounded")
    func endlessLiterals() {
        // At the default limits, in the 1 MiB pieces a fast link delivers.
        let literal = "{1048576}\r\n" + String(repeating: "j", count: 1 << 20) + " "
        var input = Array("* XJUNK ".utf8)
        for _ in 0..<12 { input += Array(literal.utf8) }
        let run = ParserHarness.run(input, chunkSize: 1 << 20)
        #expect(run.error?.code == .responseTooLarge)
        #expect(run.leftover <= (4 << 20) + (1 << 20))

        // Small literals in small pieces, against a small limit.
        let small = "{4096}\r\n" + String(repeating: "j", count: 4096) + " "
        let limits = ParserLimits(maximumResponseSize: 256 << 10)
        let smallRun = ParserHarness.run(Array(("* XJUNK " + String(repeating: small, count: 200)).utf8), chunkSize: 8192, limits: limits)
        #expect(smallRun.error?.code == .responseTooLarge)
        #expect(smallRun.leftover <= (256 << 10) + 8192)

        let list = "* LIST () \"/\" x (\"X\" (" + String(repeating: "{100}\r\n" + String(repeating: "n", count: 100) + " ", count: 200) + "\r\n"
        #expect(ParserHarness.run(list, chunkSize: 512, limits: ParserLimits(maximumResponseSize: 4096)).error?.code == .responseTooLarge)
    }

    @Test("a response within maximumResponseSize is accepted however it is chunked")
    func withinResponseSize() {
        let input = "* XJUNK " + String(repeating: "{100}\r\n" + String(repeating: "n", count: 100) + " ", count: 30) + "\r\nA1 OK done\r\n"
        for chunk in [1, 100, 4096] {
            let run = ParserHarness.run(input, chunkSize: chunk, limits: ParserLimits(maximumResponseSize: 4096))
            #expect(run.error == nil)
            #expect(run.merged.count == 2)
        }
    }

    @Test("a FETCH response that never closes fails with tooManyItems")
    func endlessFetch() {
        let input = "* 1 FETCH (UID 1" + String(repeating: " X-JUNK {1}\r\na", count: 10_001)
        let run = ParserHarness.run(input, chunkSize: 4096)
        #expect(run.error?.code == .tooManyItems)
        let bodies = "* 1 FETCH (UID 1" + String(repeating: " BODY[] {1}\r\na", count: 17)
        #expect(ParserHarness.run(bodies, limits: ParserLimits(maximumItemCount: 16)).error?.code == .tooManyItems)
    }

    @Test("the item count starts again with every FETCH response")
    func countPerResponse() {
        let one = "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 1 BODY[] {1}\r\na)\r\n"
        let run = ParserHarness.run(String(repeating: one, count: 50) + "A1 OK done\r\n", limits: ParserLimits(maximumItemCount: 4))
        #expect(run.error == nil)
        #expect(run.merged.filter { $0 == .finish }.count == 50)
        let five = "* 1 FETCH (UID 1 FLAGS () RFC822.SIZE 1 MODSEQ (1) BODY[] {1}\r\na)\r\n"
        #expect(ParserHarness.run(five, limits: ParserLimits(maximumItemCount: 4)).error?.code == .tooManyItems)
    }
}
