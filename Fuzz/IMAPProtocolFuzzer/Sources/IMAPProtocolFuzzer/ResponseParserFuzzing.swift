import IMAPProtocol
import NIOCore

/// Feeds one input to `ResponseParser` whole and in other chunkings, with the default limits
/// and with small ones that put every limit within reach of short inputs.
enum ResponseParserFuzzing {
    static let smallLimits = ParserLimits(
        maximumLineLength: 256, maximumLiteralSize: 4096, maximumBufferedLiteralSize: 64,
        maximumNestingDepth: 8, maximumItemCount: 16, maximumResponseSize: 1024)

    /// Whatever the chunking, a run that ends without error gives the same events (streamed
    /// bytes joined) and leaves the same bytes unconsumed.
    static func check(_ input: [UInt8]) {
        for limits in [ParserLimits(), smallLimits] {
            let whole = run(input, cuts: [], limits: limits)
            // Byte by byte is quadratic for long lines (each arrival parses the line again):
            // only for short inputs, to keep the fuzzer fast.
            let sizes = input.count <= 512 ? [1, 2, 3, 7, 64] : [3, 7, 64]
            var chunkings = sizes.map { size in Array(stride(from: size, to: input.count, by: size)) }
            chunkings.append(input.indices.filter { input[$0] == UInt8(ascii: "\n") }.map { $0 + 1 })
            for cuts in chunkings {
                let chunked = run(input, cuts: cuts, limits: limits)
                guard whole.failed == false, chunked.failed == false else { continue }
                guard chunked.events == whole.events, chunked.leftover == whole.leftover else {
                    fatalError("chunking changed the parse: whole \(whole) vs cuts \(cuts.prefix(8))… \(chunked)")
                }
            }
        }
    }

    struct Outcome: CustomStringConvertible {
        var events: [ResponseEvent] = []
        var leftover = 0
        var failed = false
        var description: String { "events \(events) leftover \(leftover) failed \(failed)" }
    }

    /// Parses `input` delivered in pieces ending at `cuts`, as a channel handler would.
    static func run(_ input: [UInt8], cuts: [Int], limits: ParserLimits) -> Outcome {
        var parser = ResponseParser(limits: limits)
        var buffer = ByteBuffer()
        var outcome = Outcome()
        var start = 0
        for end in cuts + [input.count] where end >= start {
            buffer.writeBytes(input[start..<end])
            start = end
            do {
                while let event = try parser.parse(&buffer) { append(event, to: &outcome.events) }
            } catch {
                guard error is IMAPProtocolError else { fatalError("the parser threw \(type(of: error)): \(error)") }
                outcome.failed = true
                // After an error every later call must throw again, consuming nothing.
                let before = buffer.readableBytes
                guard (try? parser.parse(&buffer)) == nil, buffer.readableBytes == before else {
                    fatalError("the parser went on after an error")
                }
                return outcome
            }
        }
        outcome.leftover = buffer.readableBytes
        return outcome
    }

    private static func append(_ event: ResponseEvent, to events: inout [ResponseEvent]) {
        if case .fetch(.streamingBytes(var more)) = event, case .fetch(.streamingBytes(var previous))? = events.last {
            previous.writeBuffer(&more)
            events[events.count - 1] = .fetch(.streamingBytes(previous))
        } else {
            events.append(event)
        }
    }
}
