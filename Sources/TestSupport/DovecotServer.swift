import Foundation

/// A real Dovecot IMAP server for tests: its own dovecot.conf, passwd-file users, ports on
/// 127.0.0.1 and temporary directory, run as a foreground child process and stopped by PID.
///
/// ```
/// try await DovecotServer.withServer(.init(tls: true)) { server in
///     // connect to server.host:server.plainPort (STARTTLS) or server.tlsPort (implicit TLS),
///     // trusting server.caCertificatePath; log in as server.users[0]
/// }
/// ```
/// `start` / `stop` are there too for suites that keep a server across several steps.
/// Several servers run at once; each has its own directory, ports and process group. The
/// system's Dovecot service and /etc/dovecot are never used.
public final class DovecotServer: Sendable {
    /// Always 127.0.0.1: the server listens on loopback only.
    public let host = "127.0.0.1"
    /// The plain IMAP port (offers STARTTLS when `tls` is on).
    public let plainPort: Int
    /// The implicit-TLS port, when `tls` is on.
    public let tlsPort: Int?
    /// The PEM file of the CA that signed the server certificate, when `tls` is on.
    public let caCertificatePath: String?
    /// What the server was started with.
    public let configuration: Configuration
    /// The account mail processes run as and mail files belong to.
    public let mailOwner: MailOwner
    /// The master process id; its process group holds every Dovecot process of this instance.
    public var pid: Int32 { process.pid }

    let layout: DovecotLayout
    private let process: ChildProcess
    private let stopped = Locked(false)

    init(configuration: Configuration, layout: DovecotLayout, owner: MailOwner, process: ChildProcess,
         plainPort: Int, tlsPort: Int?) {
        self.configuration = configuration
        self.layout = layout
        self.mailOwner = owner
        self.process = process
        self.plainPort = plainPort
        self.tlsPort = tlsPort
        self.caCertificatePath = configuration.tls ? layout.caCertificatePath : nil
    }

    deinit {
        // Safety net for a test that forgot `stop()`: nothing of ours may outlive the test run.
        if !stopped.current {
            ProcessGroup(id: process.pid).send(SIGKILL)
            try? FileManager.default.removeItem(atPath: layout.root)
        }
    }

    /// The accounts of the passwd-file.
    public var users: [User] { configuration.users }
    /// Dovecot's log file (all log levels), inside the instance directory.
    public var logPath: String { layout.logPath }
    /// The instance's temporary directory, removed by `stop()`.
    public var directory: String { layout.root }

    /// The Maildir++ root of `user`: the `maildir:` path of its `mailLocation` override when
    /// it has one, else `<directory>/mail/<user>/Maildir`.
    public func maildirPath(user: String) -> String {
        if let override = users.first(where: { $0.name == user })?.overrideMaildirPath { return override }
        return layout.defaultMaildir(user: user)
    }

    /// The last `lines` lines of Dovecot's log (and of what it printed before logging began).
    public func logTail(lines: Int = 40) -> String {
        Self.tail(of: [layout.stdoutPath, layout.logPath], lines: lines)
    }

    /// The living processes of this instance (the master and its children); empty once
    /// `stop()` has returned.
    public func runningProcessIDs() -> [Int32] {
        ProcessGroup(id: process.pid).livingMembers()
    }

    /// Starts a server, runs `body`, and stops the server whether `body` returns or throws.
    public static func withServer<Result: Sendable>(
        _ configuration: Configuration = Configuration(),
        _ body: (DovecotServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(configuration)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// Stops the server: SIGTERM to the master (SIGKILL to its process group if it has not
    /// exited within 10 s), then to any process of the group still left, waits until none is
    /// left, removes the directory.
    /// Calling it again does nothing.
    public func stop() async {
        let alreadyStopped = stopped.withLock { value -> Bool in
            defer { value = true }
            return value
        }
        guard !alreadyStopped else { return }
        await Self.terminate(process)
        try? FileManager.default.removeItem(atPath: layout.root)
    }

    /// Ends a master and every process it forked, by signals to its own process group:
    /// SIGTERM to the master; once it has exited, SIGTERM to what it left (an imap process
    /// still serving a client, the log process), then SIGKILL after a bound.
    static func terminate(_ process: ChildProcess) async {
        let group = ProcessGroup(id: process.pid)
        process.send(SIGTERM)
        if !(await process.waitForExit(timeout: .seconds(10))) {
            group.send(SIGKILL)
            _ = await process.waitForExit()
        }
        if await group.waitUntilGone(timeout: .milliseconds(100)) { return }
        group.send(SIGTERM)
        if await group.waitUntilGone(timeout: .seconds(2)) { return }
        group.send(SIGKILL)
        _ = await group.waitUntilGone(timeout: .seconds(5))
    }

    static func tail(of paths: [String], lines: Int) -> String {
        let text = paths.compactMap { try? String(contentsOfFile: $0, encoding: .utf8) }.joined(separator: "\n")
        return text.split(separator: "\n", omittingEmptySubsequences: true).suffix(lines).joined(separator: "\n")
    }
}
