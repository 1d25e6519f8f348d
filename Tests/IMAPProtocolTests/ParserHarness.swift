import IMAPProtocol
import Testing
import NIOCore

/// What feeding some bytes to a `ResponseParser` gave: every event, the bytes left
/// unconsumed, and the error if one was thrown.
struct ParseRun: Equatable, CustomStringConvertible {
    var events: [ResponseEvent]
    var leftover: Int
    var error: IMAPProtocolError?

    var description: String { "ParseRun(events: \(events), leftover: \(leftover), error: \(String(describing: error)))" }

    /// The events with consecutive `.streamingBytes` joined, so runs with different chunkings compare equal.
    var merged: [ResponseEvent] { ParserHarness.merge(events) }
}

/// Drives a `ResponseParser` the way a channel handler does: bytes arrive in chunks,
/// each appended to one buffer, and `parse` is called until it returns nil.
enum ParserHarness {
    static func run(_ input: [UInt8], chunkSize: Int? = nil, limits: ParserLimits = ParserLimits()) -> ParseRun {
        let size = max(chunkSize ?? input.count, 1)
        return run(input, cuts: Array(stride(from: size, to: input.count, by: size)), limits: limits)
    }

    static func run(_ text: String, chunkSize: Int? = nil, limits: ParserLimits = ParserLimits()) -> ParseRun {
        run(Array(text.utf8), chunkSize: chunkSize, limits: limits)
    }

    /// Feeds `input` split at the given offsets (ascending).
    static func run(_ input: [UInt8], cuts: [Int], limits: ParserLimits = ParserLimits()) -> ParseRun {
        var parser = ResponseParser(limits: limits)
        var buffer = ByteBuffer()
        var events: [ResponseEvent] = []
        var start = 0
        for end in cuts + [input.count] where end >= start {
            buffer.writeBytes(input[start..<end])
            start = end
            do {
                while let event = try parser.parse(&buffer) { events.append(event) }
            } catch let error as IMAPProtocolError {
                return ParseRun(events: events, leftover: buffer.readableBytes, error: error)
            } catch {
                fatalError("unexpected error type \(error)")
            }
        }
        return ParseRun(events: events, leftover: buffer.readableBytes, error: nil)
    }

    /// The events of a complete parse of `text`, or the error.
    static func events(_ text: String, limits: ParserLimits = ParserLimits()) -> [ResponseEvent] {
        run(text, limits: limits).merged
    }

    static func merge(_ events: [ResponseEvent]) -> [ResponseEvent] {
        var merged: [ResponseEvent] = []
        for event in events {
            if case .fetch(.streamingBytes(var more)) = event,
               case .fetch(.streamingBytes(var previous))? = merged.last {
                previous.writeBuffer(&more)
                merged[merged.count - 1] = .fetch(.streamingBytes(previous))
            } else {
                merged.append(event)
            }
        }
        return merged
    }
}

extension ResponseEvent {
    static func bytes(_ text: String) -> ResponseEvent { .fetch(.streamingBytes(ByteBuffer(string: text))) }
    static func status(_ status: ResponseStatus, _ code: ResponseCode, _ text: String) -> ResponseEvent {
        .untagged(.status(StatusResponse(status: status, code: code, text: text)))
    }
    static func status(_ status: ResponseStatus, _ text: String) -> ResponseEvent {
        .untagged(.status(StatusResponse(status: status, code: nil, text: text)))
    }
    static func tagged(_ tag: String, _ status: ResponseStatus, _ code: ResponseCode, _ text: String) -> ResponseEvent {
        .tagged(TaggedResponse(tag: tag, state: StatusResponse(status: status, code: code, text: text)))
    }
    static func tagged(_ tag: String, _ status: ResponseStatus, _ text: String) -> ResponseEvent {
        .tagged(TaggedResponse(tag: tag, state: StatusResponse(status: status, code: nil, text: text)))
    }
}

extension ResponseEvent {
    static func start(_ number: UInt32) -> ResponseEvent { .fetch(.start(number)) }
    static func attribute(_ attribute: FetchAttribute) -> ResponseEvent { .fetch(.attribute(attribute)) }
    static func begin(_ kind: StreamingKind, _ count: Int) -> ResponseEvent { .fetch(.streamingBegin(kind, byteCount: count)) }
    static let end = ResponseEvent.fetch(.streamingEnd)
    static let finish = ResponseEvent.fetch(.finish)
}

extension StreamingKind {
    /// `BODY[]`, the whole message.
    static let wholeBody = StreamingKind.body(section: "", offset: nil)
}

/// One row of a parse table: wire text and the events it must give.
struct ParseRow: Sendable, CustomTestStringConvertible {
    var input: String
    var expected: [ResponseEvent]
    init(_ input: String, _ expected: ResponseEvent...) {
        self.input = input
        self.expected = expected
    }
    var testDescription: String { input.debugDescription }
}

/// One row of a failure table: wire text and the error code it must give.
struct FailureRow: Sendable, CustomTestStringConvertible {
    var input: String
    var code: IMAPProtocolError.Code
    init(_ input: String, _ code: IMAPProtocolError.Code = .malformed) {
        self.input = input
        self.code = code
    }
    var testDescription: String { input.debugDescription }
}

enum ParseTable {
    /// The row parses completely into its events, leaving nothing behind.
    static func check(_ row: ParseRow, sourceLocation: SourceLocation = #_sourceLocation) {
        let run = ParserHarness.run(row.input)
        #expect(run.error == nil, sourceLocation: sourceLocation)
        #expect(run.merged == row.expected, sourceLocation: sourceLocation)
        #expect(run.leftover == 0, sourceLocation: sourceLocation)
    }

    /// Every proper prefix of a one-event row gives nil and consumes nothing.
    static func checkIncomplete(_ row: ParseRow, sourceLocation: SourceLocation = #_sourceLocation) {
        let bytes = Array(row.input.utf8)
        for length in 0..<bytes.count {
            var parser = ResponseParser()
            var buffer = ByteBuffer(bytes: bytes[0..<length])
            let event: ResponseEvent?
            do {
                event = try parser.parse(&buffer)
            } catch {
                Issue.record("prefix of \(length) bytes threw \(error)", sourceLocation: sourceLocation)
                continue
            }
            #expect(event == nil, "prefix of \(length) bytes", sourceLocation: sourceLocation)
            #expect(buffer.readableBytes == length, "prefix of \(length) bytes", sourceLocation: sourceLocation)
        }
    }

    /// The row fails with its error code.
    static func checkFailure(_ row: FailureRow, sourceLocation: SourceLocation = #_sourceLocation) {
        let run = ParserHarness.run(row.input)
        #expect(run.error?.code == row.code, "\(run)", sourceLocation: sourceLocation)
    }
}
