import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A program the harness started with `posix_spawn`, in its own process group, with default
/// signal handling and no inherited descriptors but stdin/stdout/stderr.
///
/// Not Foundation's `Process`: a child spawned from a Swift concurrency thread inherits that
/// thread's blocked signal mask, so Dovecot would never see the SIGTERM that stops it. The
/// process group id equals `pid`, so its forked children can be found and signalled.
final class ChildProcess: Sendable {
    /// The process id (also its process group id).
    let pid: Int32
    private let status = Locked<Int32?>(nil)

    /// Starts `executable` (an absolute path); stdout and stderr go to the given files (created
    /// or truncated), stdin reads `stdinPath` (default /dev/null).
    init(executable: String, arguments: [String], stdoutPath: String, stderrPath: String,
         stdinPath: String? = nil) throws {
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        func open(_ path: String, _ flags: Int32) throws -> Int32 {
            let fd = Glibc.open(path, flags | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw TestSupportError(.fileSystem, "cannot open \(path): errno \(errno)") }
            opened.append(fd)
            return fd
        }
        let input = try open(stdinPath ?? "/dev/null", O_RDONLY)
        let output = try open(stdoutPath, O_WRONLY | O_CREAT | O_TRUNC)
        let errors = stderrPath == stdoutPath ? output : try open(stderrPath, O_WRONLY | O_CREAT | O_TRUNC)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, errors, 2)
        Self.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw TestSupportError(.commandFailed, "cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
    }

    /// The exit status (or 128 + the terminating signal), once the process has been reaped.
    var exitStatus: Int32? { status.withLock { reap(&$0) } }

    /// Waits until the process has exited (polling `waitpid`), at most `timeout` when given;
    /// true when it has exited. Task cancellation does not cut the wait short: the harness
    /// must not leave a process behind because a test was cancelled.
    func waitForExit(timeout: Duration? = nil) async -> Bool {
        let deadline = timeout.map { ContinuousClock.now + $0 }
        while exitStatus == nil {
            if let deadline, ContinuousClock.now >= deadline { return false }
            await Self.pause()
        }
        return true
    }

    /// Sleeps 10 ms, even in a cancelled task (the sleep runs in a task of its own).
    static func pause() async {
        await Task { try? await Task.sleep(for: .milliseconds(10)) }.value
    }

    /// Sends `signal` to the process while it has not been reaped (so the pid is still ours).
    func send(_ signal: Int32) {
        status.withLock { current in
            if reap(&current) == nil { _ = kill(pid, signal) }
        }
    }

    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32

    /// Closes every descriptor from 3 up in the child: glibc's `addclosefrom_np` (2.34+, not
    /// exported by the Glibc module, so looked up by name), else one close per open descriptor.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(dlopen(nil, RTLD_NOW), "posix_spawn_file_actions_addclosefrom_np") {
            let closeFrom = unsafeBitCast(symbol, to: CloseFrom.self)
            if closeFrom(&actions, 3) == 0 { return }
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap(Int32.init) where fd > 2 && fcntl(fd, F_GETFD) & FD_CLOEXEC == 0 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }

    /// Reaps the child without blocking; call with the lock held.
    private func reap(_ current: inout Int32?) -> Int32? {
        if let current { return current }
        var raw: Int32 = 0
        guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
        let signal = raw & 0x7f
        current = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
        return current
    }
}

extension ChildProcess {
    /// What a finished helper program printed.
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs a helper program to completion, its output captured through files in `scratchDirectory`.
    static func run(_ executable: String, _ arguments: [String], scratchDirectory: String,
                    stdinPath: String? = nil) async throws -> Output {
        let stem = "\(scratchDirectory)/.cmd-\(UUID().uuidString)"
        defer {
            try? FileManager.default.removeItem(atPath: stem + ".out")
            try? FileManager.default.removeItem(atPath: stem + ".err")
        }
        let child = try ChildProcess(executable: executable, arguments: arguments,
                                     stdoutPath: stem + ".out", stderrPath: stem + ".err",
                                     stdinPath: stdinPath)
        while child.exitStatus == nil {
            if Task.isCancelled { child.send(SIGKILL) }
            await pause()
        }
        let stdout = (try? String(contentsOfFile: stem + ".out", encoding: .utf8)) ?? ""
        let stderr = (try? String(contentsOfFile: stem + ".err", encoding: .utf8)) ?? ""
        return Output(status: child.exitStatus ?? -1, stdout: stdout, stderr: stderr)
    }

    /// Runs a helper program and throws `commandFailed` with its stderr when it exits non-zero.
    @discardableResult
    static func check(_ executable: String, _ arguments: [String], scratchDirectory: String) async throws -> Output {
        let output = try await run(executable, arguments, scratchDirectory: scratchDirectory)
        guard output.status == 0 else {
            let shown = ([executable] + arguments).joined(separator: " ")
            let reason = output.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            throw TestSupportError(.commandFailed, "`\(shown)` exited with \(output.status): \(reason)")
        }
        return output
    }
}
