import NIOCore
import NIOPosix

/// A minimal line-level IMAP client over plain TCP, for harness checks and raw exchanges in
/// tests: it writes what it is given and reads CRLF lines, literals inlined.
///
/// ```
/// try await IMAPLineClient.withConnection(port: server.plainPort) { client in
///     _ = try await client.readLine()                       // S: * OK … ready.
///     let login = try await client.command("LOGIN alice alice-password")
///     #expect(login.isOK)
/// }
/// ```
/// Every read waits at most `readTimeout`, then the connection is closed and the read throws
/// `timedOut`; a hung peer fails the test instead of hanging it.
public final class IMAPLineClient {
    /// The untagged and tagged responses of one command (RFC 3501 §2.2.2).
    public struct CommandResult: Sendable {
        /// Every response before the tagged one (untagged `*` and continuation `+` lines),
        /// literals inlined as `{n}\r\n<bytes>`.
        public var untagged: [String]
        /// The tagged completion line, e.g. `T1 OK LOGIN completed`.
        public var tagged: String
        /// The status word of the tagged line: `OK`, `NO` or `BAD`.
        public var status: String {
            let words = tagged.split(separator: " ", maxSplits: 2)
            return words.count > 1 ? words[1].uppercased() : ""
        }
        public var isOK: Bool { status == "OK" }
    }

    private let channel: Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let readTimeout: Duration
    private var buffer = ByteBuffer()
    private var nextTag = 1
    private var closedByPeer = false

    private init(channel: Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>,
                 outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, readTimeout: Duration) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.readTimeout = readTimeout
    }

    /// Connects to `host:port`, runs `body`, then closes the connection.
    public static func withConnection<Result: Sendable>(
        host: String = "127.0.0.1",
        port: Int,
        connectTimeout: Duration = .seconds(5),
        readTimeout: Duration = .seconds(30),
        _ body: (IMAPLineClient) async throws -> Result
    ) async throws -> Result {
        let channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeAmount(connectTimeout))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw TestSupportError(.connectionClosed, "cannot connect to \(host):\(port)", cause: error)
        }
        return try await channel.executeThenClose { inbound, outbound in
            let client = IMAPLineClient(channel: channel.channel, inbound: inbound, outbound: outbound,
                                        readTimeout: readTimeout)
            return try await body(client)
        }
    }

    /// Sends `text` as is (add "\r\n" yourself, or use `writeLine`).
    public func write(_ text: String) async throws {
        try await write(Array(text.utf8))
    }

    /// Sends raw bytes.
    public func write(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends `line` followed by CRLF.
    public func writeLine(_ line: String) async throws {
        try await write(line + "\r\n")
    }

    /// Reads one line, without its CRLF. Throws `connectionClosed` at end of stream.
    public func readLine() async throws -> String {
        while true {
            if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
                let length = newline - buffer.readerIndex + 1
                var bytes = buffer.readBytes(length: length) ?? []
                bytes.removeLast()
                if bytes.last == UInt8(ascii: "\r") { bytes.removeLast() }
                return String(decoding: bytes, as: UTF8.self)
            }
            guard try await fill() else {
                throw TestSupportError(.connectionClosed, "the server closed the connection before a full line arrived")
            }
        }
    }

    /// Reads one response: a line, and when it ends with a literal `{n}`, the n bytes and the
    /// rest of the response after them (RFC 3501 §4.3), inlined as `{n}\r\n<bytes>…`.
    public func readResponse() async throws -> String {
        var response = try await readLine()
        while let count = Self.trailingLiteralCount(response) {
            let literal = try await readBytes(count: count)
            response += "\r\n" + String(decoding: literal, as: UTF8.self) + (try await readLine())
        }
        return response
    }

    /// Reads exactly `count` bytes. Throws `connectionClosed` when the stream ends first.
    public func readBytes(count: Int) async throws -> [UInt8] {
        while buffer.readableBytes < count {
            guard try await fill() else {
                throw TestSupportError(.connectionClosed,
                                       "the server closed the connection after \(buffer.readableBytes) of \(count) bytes")
            }
        }
        return buffer.readBytes(length: count) ?? []
    }

    /// Reads everything until the server closes the connection.
    public func readUntilClosed() async throws -> [UInt8] {
        while try await fill() {}
        return buffer.readBytes(length: buffer.readableBytes) ?? []
    }

    /// Sends `<tag> <text>\r\n` with a fresh tag (`T1`, `T2`, …) and reads responses up to the
    /// tagged one.
    public func command(_ text: String) async throws -> CommandResult {
        let tag = "T\(nextTag)"
        nextTag += 1
        try await writeLine("\(tag) \(text)")
        var untagged: [String] = []
        while true {
            let response = try await readResponse()
            if response.hasPrefix(tag + " ") { return CommandResult(untagged: untagged, tagged: response) }
            untagged.append(response)
        }
    }

    /// Reads one more chunk into the buffer; false at end of stream.
    private func fill() async throws -> Bool {
        if closedByPeer { return false }
        let channel = self.channel
        let timedOut = Locked(false)
        let timer = channel.eventLoop.scheduleTask(in: Self.timeAmount(readTimeout)) {
            timedOut.withLock { $0 = true }
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let chunk: ByteBuffer?
        do {
            chunk = try await inbound.next()
        } catch {
            if timedOut.current { throw Self.timeoutError(readTimeout) }
            throw TestSupportError(.connectionClosed, "reading from the server failed", cause: error)
        }
        guard var chunk else {
            if timedOut.current { throw Self.timeoutError(readTimeout) }
            closedByPeer = true
            return false
        }
        if buffer.readerIndex > 1 << 16 { buffer.discardReadBytes() }
        buffer.writeBuffer(&chunk)
        return true
    }

    private static func timeoutError(_ timeout: Duration) -> TestSupportError {
        TestSupportError(.timedOut, "no data from the server within \(timeout)")
    }

    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }

    /// The n of a line ending in `{n}` or `{n+}` (RFC 3501 §4.3, RFC 7888), if any.
    static func trailingLiteralCount(_ line: String) -> Int? {
        guard line.hasSuffix("}"), let open = line.lastIndex(of: "{") else { return nil }
        var digits = line[line.index(after: open)..<line.index(before: line.endIndex)]
        if digits.hasSuffix("+") { digits = digits.dropLast() }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        return Int(digits)
    }
}
