import Foundation
import Transfer

/// `--detach`: runs the same command again in a new session, in the background, with its
/// output in a log file beside the job's status, and returns at once, like the seed
/// service's "you may close the page".
enum Detacher {
    /// Starts the background copy of this command. `secrets` are environment variables the
    /// child needs when the parent had to prompt (never put on the command line).
    static func detach(account: AccountAddress, kind: String, global: GlobalOptions, secrets: [String: String]) throws -> Never {
        let directory = JobDirectory.url(for: account.key, in: global.resolvedStateDirectory)
        try JobDirectory.create(directory)
        let log = directory.appendingPathComponent("detached.log").path
        let arguments = CommandLine.arguments.filter { $0 != "--detach" }
        var environment = ProcessInfo.processInfo.environment
        environment["IMAPCRATE_STATE_DIR"] = global.resolvedStateDirectory.path
        for (key, value) in secrets { environment[key] = value }
        let pid = try spawn(executable: executablePath(), arguments: arguments, environment: environment, log: log)

        // Wait until the child holds the lock (or died) so the user learns about early failures.
        for _ in 0..<100 {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                let tail = (try? String(contentsOfFile: log, encoding: .utf8))?.split(separator: "\n").suffix(3).joined(separator: "\n") ?? ""
                Terminal.err(tail)
                let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 1
                exit(code)
            }
            if let current = JobDirectory.statuses(in: global.resolvedStateDirectory, account: account.key).first,
               current.pid == pid, current.state == .running {
                break
            }
            usleep(50_000)
        }
        Terminal.out("\(kind) of \(account.url) started in the background (pid \(pid)).")
        Terminal.out("Follow it:  imapcrate status \(account.url)\(global.stateDir.map { " --state-dir \($0)" } ?? "")")
        Terminal.out("Its output: \(log)")
        exit(0)
    }

    static func executablePath() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }

    /// posix_spawn in a new session (no controlling terminal), stdin /dev/null, stdout and
    /// stderr appended to `log` (0600).
    static func spawn(executable: String, arguments: [String], environment: [String: String], log: String) throws -> pid_t {
        let logFD = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else { throw CLIError(.failure, "cannot open \(log): \(String(cString: strerror(errno)))") }
        defer { close(logFD) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, logFD, 1)
        posix_spawn_file_actions_adddup2(&actions, logFD, 2)
        // Nothing else of ours (sockets, pipes a supervisor watches) stays open in the child.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd"))?.compactMap { Int32($0) } ?? []
        for descriptor in open where descriptor > 2 && descriptor != logFD && fcntl(descriptor, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var signals = sigset_t()
        sigemptyset(&signals)
        posix_spawnattr_setsigmask(&attributes, &signals)
        // glibc's POSIX_SPAWN_SETSID (0x80) is not exported to Swift.
        posix_spawnattr_setflags(&attributes, Int16(0x80 | POSIX_SPAWN_SETSIGMASK))
        let argv = ([executable] + arguments.dropFirst()).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
        guard result == 0 else { throw CLIError(.failure, "cannot start the background job: \(String(cString: strerror(result)))") }
        return pid
    }
}
