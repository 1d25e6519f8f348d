import NIOCore
import Testing
@testable import TestSupport

@Suite("ClientInputFramer")
struct ClientInputFramerTests {
    typealias Event = ClientInputFramer.Event

    /// Feeds `input` in chunks of `chunkSize`, draining events after each chunk; sends a
    /// continuation whenever a synchronizing literal waits (as the auto-continuation option does).
    private func frame(_ input: String, chunkSize: Int, continuations: Bool = true) throws -> [Event] {
        var framer = ClientInputFramer()
        var events: [Event] = []
        let bytes = Array(input.utf8)
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + chunkSize)
            framer.feed(ByteBuffer(bytes: bytes[offset..<end]))
            offset = end
            while let event = try framer.next() {
                events.append(event)
                if continuations && framer.awaitsContinuation { framer.continuationSent() }
            }
        } while offset < bytes.count
        return events
    }

    /// Joins consecutive literal chunks so results compare equal whatever the chunking.
    private func coalesced(_ events: [Event]) -> [Event] {
        var result: [Event] = []
        for event in events {
            if case .literal(let bytes, let isLast) = event, case .literal(let earlier, false)? = result.last {
                result[result.count - 1] = .literal(earlier + bytes, isLast: isLast)
            } else {
                result.append(event)
            }
        }
        return result
    }

    static let cases: [(String, String, [Event])] = [
        ("plain lines", "A1 NOOP\r\nA2 LOGOUT\r\n",
         [.line("A1 NOOP", startsCommand: true), .line("A2 LOGOUT", startsCommand: true)]),
        ("bare LF", "A1 NOOP\n", [.line("A1 NOOP", startsCommand: true)]),
        ("incomplete line", "A1 NO", []),
        ("synchronizing literal", "A1 APPEND X {3}\r\nabc\r\n",
         [.line("A1 APPEND X {3}", startsCommand: true), .literal(Array("abc".utf8), isLast: true),
          .line("", startsCommand: false)]),
        ("literal holding CRLF", "A1 LOGIN {4+}\r\na\r\nb {1+}\r\nc\r\n",
         [.line("A1 LOGIN {4+}", startsCommand: true), .literal(Array("a\r\nb".utf8), isLast: true),
          .line(" {1+}", startsCommand: false), .literal(Array("c".utf8), isLast: true), .line("", startsCommand: false)]),
        ("zero-length literal", "A1 LOGIN {0+}\r\n x\r\nA2 NOOP\r\n",
         [.line("A1 LOGIN {0+}", startsCommand: true), .line(" x", startsCommand: false),
          .line("A2 NOOP", startsCommand: true)]),
        ("not a literal", "A1 SEARCH {x}\r\n", [.line("A1 SEARCH {x}", startsCommand: true)]),
    ]

    @Test("frames lines and literals the same way whatever the chunking", arguments: cases)
    func framing(name: String, input: String, expected: [Event]) throws {
        for chunkSize in [1, 2, 3, 7, 1000] {
            #expect(coalesced(try frame(input, chunkSize: chunkSize)) == expected, "\(name), chunks of \(chunkSize)")
        }
    }

    @Test("an abandoned synchronizing literal leaves the next line a new command")
    func abandonedLiteral() throws {
        let events = try frame("A1 APPEND X {99}\r\nA2 NOOP\r\n", chunkSize: 100, continuations: false)
        #expect(events == [.line("A1 APPEND X {99}", startsCommand: true), .line("A2 NOOP", startsCommand: true)])
    }

    @Test("a line longer than the limit is an error")
    func lineLimit() throws {
        var framer = ClientInputFramer(maximumLineLength: 8)
        framer.feed(ByteBuffer(string: "A1 LOGIN alice"))
        #expect(throws: TestSupportError.self) { try framer.next() }
    }

    @Test("literal announcements", arguments: [
        ("{5}", 5, true), ("x {12+}", 12, false), ("~{3}", 3, true),
    ])
    func announcements(line: String, count: Int, synchronizing: Bool) {
        let parsed = ClientInputFramer.literalAnnouncement(line)
        #expect(parsed?.count == count && parsed?.synchronizing == synchronizing)
    }

    @Test("lines that only look like literals", arguments: ["{}", "{+}", "{-1}", "{5", "5}", "{1a}"])
    func notAnnouncements(line: String) {
        #expect(ClientInputFramer.literalAnnouncement(line) == nil)
    }
}
