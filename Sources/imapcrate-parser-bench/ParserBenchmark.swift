import IMAPProtocol
import NIOCore

/// Parser micro-benchmark: how many MB/s of FETCH responses `ResponseParser` turns into events,
/// fed in 64 KiB reads as a channel would feed it. `scripts/bench` runs it (release build) and
/// prints its line under the table, so that a change that slows the codec shows.
///
/// The input is a deterministic mailbox-like mix: mostly 2–20 KB messages, some 200 KB and
/// 2 MB ones, each in `* n FETCH (UID FLAGS INTERNALDATE RFC822.SIZE BODY[] {n})`, plus a
/// tagged OK per 100 responses. Usage: `imapcrate-parser-bench [megabytes]` (default 512).
@main
struct ParserBenchmark {
    static func main() throws {
        let megabytes = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 512
        let wire = makeWire()
        let rounds = max(1, megabytes * 1_000_000 / wire.count)
        var events = 0
        var bodyBytes = 0
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            for _ in 0..<rounds {
                let counted = try parse(wire)
                events += counted.events
                bodyBytes += counted.bodyBytes
            }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let total = Double(wire.count * rounds)
        guard bodyBytes > 0 else { throw BenchmarkFailure.nothingParsed }
        print("parser: \(format(total / 1e6)) MB of FETCH responses in \(format(seconds)) s: "
              + "\(format(total / 1e6 / seconds)) MB/s, \(format(Double(events) / seconds / 1e6)) M events/s")
    }

    enum BenchmarkFailure: Error { case nothingParsed }

    /// Parses `wire` in 64 KiB reads; returns the events and the body bytes it streamed.
    static func parse(_ wire: [UInt8]) throws -> (events: Int, bodyBytes: Int) {
        var parser = ResponseParser()
        var buffer = ByteBuffer()
        var events = 0
        var bodyBytes = 0
        var start = 0
        while start < wire.count {
            let end = min(start + 64 * 1024, wire.count)
            buffer.writeBytes(wire[start..<end])
            start = end
            while let event = try parser.parse(&buffer) {
                events += 1
                if case .fetch(.streamingBytes(let chunk)) = event { bodyBytes += chunk.readableBytes }
            }
            buffer.discardReadBytes()
        }
        return (events, bodyBytes)
    }

    /// About 60 MB of responses, the same every run (a linear congruential generator).
    static func makeWire() -> [UInt8] {
        var state: UInt64 = 0x2545_F491_4F6C_DD1D
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        let line = Array("The quick brown fox jumps over the lazy dog; mail migration benchmark text.\r\n".utf8)
        var wire: [UInt8] = []
        var sequence = 0
        while wire.count < 60_000_000 {
            sequence += 1
            let pick = next() % 100
            let size = pick < 96 ? 2_000 + Int(next() % 18_000) : (pick < 99 ? 200_000 : 2_000_000)
            wire += Array(("* \(sequence) FETCH (UID \(sequence + 1000) FLAGS (\\Seen $Forwarded) "
                + "INTERNALDATE \"17-Jul-2024 02:44:25 +0200\" RFC822.SIZE \(size) BODY[] {\(size)}\r\n").utf8)
            var body: [UInt8] = []
            body.reserveCapacity(size)
            while body.count < size { body += line.prefix(size - body.count) }
            wire += body
            wire += Array(")\r\n".utf8)
            if sequence % 100 == 0 { wire += Array("A\(sequence) OK FETCH completed\r\n".utf8) }
        }
        return wire
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return "\(rounded)"
    }
}
