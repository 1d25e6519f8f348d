import NIOCore
import NIOPosix

/// A loopback IMAP server that plays a script to each connection and records everything the
/// client sent: for what a real server will not do on demand (drops mid-literal, BYE, NO/BAD
/// with response codes, throttling, hostile responses, other servers' capability sets).
///
/// ```
/// try await ScriptedIMAPServer.withServer(script: [
///     .send("* OK IMAP4rev1 ready"),
///     .expect(command: "LOGIN"), .sendTagged("OK LOGIN completed"),
///     .expect(command: "LOGOUT"), .send("* BYE"), .sendTagged("OK"),
/// ]) { server in
///     // connect a client to server.host:server.port, then:
///     try await server.waitUntilFinished()
///     #expect(server.failures.isEmpty)
///     #expect(server.receivedLines[0].hasSuffix("LOGIN alice secret"))
/// }
/// ```
/// Connection i (0-based, in accept order) plays `scripts[i]`, the last script for every later
/// connection.
public final class ScriptedIMAPServer: Sendable {
    /// Always 127.0.0.1.
    public let host = "127.0.0.1"
    /// The port the kernel chose.
    public let port: Int

    let state: Locked<State>
    private let serverChannel: Channel
    private let acceptTask: Task<Void, Never>

    struct State {
        var transcripts: [[ClientInput]] = []
        var literalOpen: [Bool] = []
        var failures: [String] = []
        var finished = 0
        var channels: [Int: Channel] = [:]
        var stopped = false
    }

    private init(port: Int, state: Locked<State>, serverChannel: Channel, acceptTask: Task<Void, Never>) {
        self.port = port
        self.state = state
        self.serverChannel = serverChannel
        self.acceptTask = acceptTask
    }

    /// Starts a server on 127.0.0.1 and a free port that plays `script` to every connection.
    public static func start(script: [Step], options: Options = Options()) async throws -> ScriptedIMAPServer {
        try await start(scripts: [script], options: options)
    }

    /// Starts a server whose connection i plays `scripts[min(i, scripts.count - 1)]`.
    public static func start(scripts: [[Step]], options: Options = Options()) async throws -> ScriptedIMAPServer {
        guard !scripts.isEmpty else { throw TestSupportError(.invalidArgument, "a scripted server needs at least one script") }
        let state = Locked(State())
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        guard let port = server.channel.localAddress?.port else {
            server.channel.close(promise: nil)
            throw TestSupportError(.fileSystem, "the scripted server has no local port")
        }
        let acceptTask = Task<Void, Never> {
            _ = try? await server.executeThenClose { inbound in
                await withDiscardingTaskGroup { group in
                    do {
                        for try await connection in inbound {
                            guard let index = Self.register(connection.channel, in: state) else {
                                connection.channel.close(promise: nil)
                                continue
                            }
                            let script = scripts[min(index, scripts.count - 1)]
                            group.addTask {
                                await ScriptPlayer.play(script, on: connection, index: index,
                                                        options: options, state: state)
                            }
                        }
                    } catch {
                        // The listening socket was closed by `stop()`.
                    }
                }
            }
        }
        return ScriptedIMAPServer(port: port, state: state, serverChannel: server.channel, acceptTask: acceptTask)
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returns or throws.
    public static func withServer<Result: Sendable>(
        scripts: [[Step]],
        options: Options = Options(),
        _ body: (ScriptedIMAPServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(scripts: scripts, options: options)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// `withServer(scripts:)` with one script for every connection.
    public static func withServer<Result: Sendable>(
        script: [Step],
        options: Options = Options(),
        _ body: (ScriptedIMAPServer) async throws -> Result
    ) async throws -> Result {
        try await withServer(scripts: [script], options: options, body)
    }

    /// Everything every client sent, connection after connection.
    public var transcript: [ClientInput] { state.current.transcripts.flatMap { $0 } }

    /// What client connection `index` (0-based, accept order) sent.
    public func transcript(connection index: Int) -> [ClientInput] {
        let transcripts = state.current.transcripts
        return transcripts.indices.contains(index) ? transcripts[index] : []
    }

    /// The lines (no literal data) every client sent, in order.
    public var receivedLines: [String] {
        transcript.compactMap { if case .line(let text) = $0 { return text } else { return nil } }
    }

    /// Script mismatches: an unexpected line, a line where literal data was expected, or the
    /// client closing while the script still expected input. Empty when every script played
    /// as written.
    public var failures: [String] { state.current.failures }

    /// How many connections were accepted.
    public var connectionCount: Int { state.current.transcripts.count }

    /// Waits until `connections` connections have finished their scripts (and been closed).
    public func waitUntilFinished(connections: Int = 1, timeout: Duration = .seconds(30)) async throws {
        let deadline = ContinuousClock.now + timeout
        while state.current.finished < connections {
            guard ContinuousClock.now < deadline else {
                throw TestSupportError(.timedOut,
                                       "\(state.current.finished) of \(connections) scripted connections finished within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Stops listening, closes every open connection and waits for their scripts to end.
    /// Calling it again does nothing.
    public func stop() async {
        let channels = state.withLock { state -> [Channel] in
            state.stopped = true
            return Array(state.channels.values)
        }
        serverChannel.close(promise: nil)
        for channel in channels { channel.close(promise: nil) }
        acceptTask.cancel()  // ends scripts waiting in `.delay`
        await acceptTask.value
    }

    private static func register(_ channel: Channel, in state: Locked<State>) -> Int? {
        state.withLock { state in
            guard !state.stopped else { return nil }
            let index = state.transcripts.count
            state.transcripts.append([])
            state.literalOpen.append(false)
            state.channels[index] = channel
            return index
        }
    }
}
