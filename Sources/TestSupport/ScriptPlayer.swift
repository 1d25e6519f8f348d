import Foundation
import NIOCore

/// Plays one script on one connection of a `ScriptedIMAPServer`, recording the client's input.
final class ScriptPlayer {
    typealias Step = ScriptedIMAPServer.Step

    private enum Flow { case next, end }

    private let index: Int
    private let options: ScriptedIMAPServer.Options
    private let state: Locked<ScriptedIMAPServer.State>
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var framer: ClientInputFramer
    /// Literal bytes read from the framer but not yet taken by `expectLiteral`.
    private var pendingLiteral: [UInt8] = []
    private var lastTag: String?
    private var stepNumber = 0

    private init(index: Int, options: ScriptedIMAPServer.Options, state: Locked<ScriptedIMAPServer.State>,
                 inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) {
        self.index = index
        self.options = options
        self.state = state
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.framer = ClientInputFramer(maximumLineLength: options.maximumLineLength)
    }

    static func play(_ script: [Step], on connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, index: Int,
                     options: ScriptedIMAPServer.Options, state: Locked<ScriptedIMAPServer.State>) async {
        try? await connection.executeThenClose { inbound, outbound in
            let player = ScriptPlayer(index: index, options: options, state: state, inbound: inbound, outbound: outbound)
            await player.run(script)
            // Closing fails writes NIO still queues: let everything sent reach the socket first.
            // The empty write is ordered after every earlier one on the channel's event loop.
            try? await connection.channel.writeAndFlush(ByteBuffer()).get()
        }
        state.withLock { state in
            state.channels[index] = nil
            state.finished += 1
        }
    }

    private func run(_ script: [Step]) async {
        do {
            if try await play(script) == .next {
                if options.closeAfterScript {
                    // Record what already arrived, then drop the connection.
                    while let event = try framer.next() { record(event) }
                } else {
                    while try await nextEvent() != nil {}
                }
            }
        } catch let error as TestSupportError where error.code == .protocolViolation {
            fail(error.message)
        } catch {
            // The connection failed or was closed under us (stop(), a reset): the script ends.
        }
    }

    private func play(_ steps: [Step]) async throws -> Flow {
        for step in steps {
            stepNumber += 1
            switch step {
            case .send(let text):
                try await write(Array((text.replacingOccurrences(of: "{tag}", with: lastTag ?? "*") + "\r\n").utf8))
            case .sendTagged(let text):
                try await write(Array("\(lastTag ?? "*") \(text)\r\n".utf8))
            case .sendRaw(let bytes):
                try await write(bytes)
            case .sendRepeated(let byte, let count):
                var left = count
                while left > 0 {
                    let chunk = min(left, 1 << 16)
                    try await write([UInt8](repeating: byte, count: chunk))
                    left -= chunk
                }
            case .sendFile(let path):
                try await sendFile(path)
            case .sendThrottled(let bytes, let chunkSize, let interval):
                var offset = 0
                while offset < bytes.count {
                    if offset > 0 { try await Task.sleep(for: interval) }
                    let end = min(bytes.count, offset + max(1, chunkSize))
                    try await write(Array(bytes[offset..<end]))
                    offset = end
                }
            case .expect(let match):
                guard let line = try await nextLine(skippingToCommand: match.wantsCommandStart) else {
                    fail("expected \(match), but the client closed the connection")
                    return .end
                }
                guard match.matches(line) else {
                    fail("expected \(match), got \"\(line.text)\"")
                    try? await write(Array("\(line.tag ?? "*") BAD [CLIENTBUG] Unexpected by the test script\r\n".utf8))
                    return .end
                }
                if let tag = line.tag { lastTag = tag }
            case .expectLiteral(let count):
                if try await readLiteral(count) == .end { return .end }
            case .onLine(let respond):
                guard let line = try await nextLine(skippingToCommand: false) else {
                    fail("expected a line, but the client closed the connection")
                    return .end
                }
                if let tag = line.tag { lastTag = tag }
                if try await play(respond(line)) == .end { return .end }
            case .onEveryLine(let respond):
                while let line = try await nextLine(skippingToCommand: false) {
                    if let tag = line.tag { lastTag = tag }
                    if try await play(respond(line)) == .end { return .end }
                }
                return .end
            case .delay(let duration):
                try await Task.sleep(for: duration)
            case .close:
                return .end
            }
        }
        return .next
    }

    private func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
        if bytes.first == UInt8(ascii: "+") { framer.continuationSent() }
    }

    private func sendFile(_ path: String) async throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw TestSupportError(.protocolViolation, "step \(stepNumber): cannot read \(path)")
        }
        defer { try? handle.close() }
        while let chunk = try handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            try await write(Array(chunk))
        }
    }

    private func readLiteral(_ count: Int) async throws -> Flow {
        var received = 0
        while received < count {
            if !pendingLiteral.isEmpty {
                let take = min(count - received, pendingLiteral.count)
                pendingLiteral.removeFirst(take)
                received += take
                continue
            }
            switch try await nextEvent() {
            case .literal(let bytes, _):
                pendingLiteral = bytes
            case .line(let text, _):
                fail("expected \(count - received) more literal bytes, got line \"\(text)\"")
                return .end
            case nil:
                fail("expected \(count) literal bytes, got \(received) before the client closed the connection")
                return .end
            }
        }
        return .next
    }

    /// The next line, skipping literal data (and, for command matches, the rest of the
    /// previous command).
    private func nextLine(skippingToCommand: Bool) async throws -> ScriptedIMAPServer.ClientLine? {
        pendingLiteral = []
        while let event = try await nextEvent() {
            guard case .line(let text, let startsCommand) = event else { continue }
            if skippingToCommand && !startsCommand { continue }
            return ScriptedIMAPServer.ClientLine(text: text, startsCommand: startsCommand)
        }
        return nil
    }

    /// The next framed event (recorded in the transcript), reading from the socket as needed;
    /// nil when the client closed the connection.
    private func nextEvent() async throws -> ClientInputFramer.Event? {
        while true {
            if let event = try framer.next() {
                record(event)
                if case .line = event, options.autoContinuation, framer.awaitsContinuation {
                    try await write(Array((options.continuationText + "\r\n").utf8))
                }
                return event
            }
            guard let chunk = try await inbound.next() else { return nil }
            framer.feed(chunk)
        }
    }

    private func record(_ event: ClientInputFramer.Event) {
        state.withLock { state in
            switch event {
            case .line(let text, _):
                state.transcripts[index].append(.line(text))
            case .literal(let bytes, let isLast):
                if state.literalOpen[index], case .literal(let earlier)? = state.transcripts[index].last {
                    state.transcripts[index][state.transcripts[index].count - 1] = .literal(earlier + bytes)
                } else {
                    state.transcripts[index].append(.literal(bytes))
                }
                state.literalOpen[index] = !isLast
            }
        }
    }

    private func fail(_ message: String) {
        state.withLock { $0.failures.append("connection \(index), step \(stepNumber): \(message)") }
    }
}
