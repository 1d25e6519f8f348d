import Foundation

extension DovecotServer {
    /// Starts Dovecot with `configuration` and returns once it greets on its plain port.
    ///
    /// Throws `dovecotNotInstalled` when there is no `dovecot` binary (tests then fail, they do
    /// not skip), `dovecotFailedToStart` with the log's last lines when it exits or does not
    /// greet within `startupTimeout`.
    public static func start(_ configuration: Configuration = Configuration()) async throws -> DovecotServer {
        let dovecot = try locateDovecot(configuration)
        try configuration.validate()
        let owner = try await MailOwner.resolve()
        let layout = try makeInstanceDirectory()
        do {
            try prepareFiles(layout: layout, configuration: configuration, owner: owner)
            if configuration.tls { try await makeCertificates(in: layout) }
            var failure: TestSupportError?
            // A port picked free may be taken before Dovecot binds it: retry with fresh ports.
            for _ in 0..<3 {
                let ports = try LoopbackPort.free(count: configuration.tls ? 2 : 1)
                let file = DovecotConfigFile(
                    configuration: configuration, layout: layout, owner: owner,
                    ownerGroupName: groupName(owner.gid), plainPort: ports[0],
                    tlsPort: configuration.tls ? ports[1] : nil, runsAsRoot: MailOwner.isRoot)
                try write(file.render(), to: layout.configPath, mode: 0o644)
                try? FileManager.default.removeItem(atPath: layout.logPath)
                let process = try ChildProcess(executable: dovecot, arguments: ["-F", "-c", layout.configPath],
                                               stdoutPath: layout.stdoutPath, stderrPath: layout.stdoutPath)
                do {
                    try await waitUntilReady(process, port: ports[0], layout: layout,
                                             timeout: configuration.startupTimeout)
                    return DovecotServer(configuration: configuration, layout: layout, owner: owner,
                                         process: process, plainPort: ports[0], tlsPort: file.tlsPort)
                } catch {
                    await terminate(process)
                    guard let error = error as? TestSupportError, error.message.contains("Address already in use") else {
                        throw error
                    }
                    failure = error
                }
            }
            throw failure ?? TestSupportError(.dovecotFailedToStart, "Dovecot did not start")
        } catch {
            try? FileManager.default.removeItem(atPath: layout.root)
            throw error
        }
    }

    private static func locateDovecot(_ configuration: Configuration) throws -> String {
        if let path = configuration.dovecotPath ?? ExecutableLookup.find("dovecot"),
           FileManager.default.isExecutableFile(atPath: path) {
            return path
        }
        throw TestSupportError(.dovecotNotInstalled,
                               "Dovecot is not installed (no `dovecot` on PATH or in /usr/sbin): run `apt-get install -y dovecot-imapd`")
    }

    /// A fresh 0755 directory under the temporary directory (under /tmp when TMPDIR is so long
    /// that Dovecot's unix socket paths would pass the 108-byte limit).
    private static func makeInstanceDirectory() throws -> DovecotLayout {
        var base = NSTemporaryDirectory()
        if base.hasSuffix("/") { base.removeLast() }
        if base.utf8.count > 40 { base = "/tmp" }
        var template = Array("\(base)/imapcrate-dovecot.XXXXXX".utf8CString)
        guard let created = mkdtemp(&template) else {
            throw TestSupportError(.fileSystem, "cannot create a temporary directory under \(base): errno \(errno)")
        }
        let root = String(cString: created)
        chmod(root, 0o755)
        return DovecotLayout(root: root)
    }

    private static func prepareFiles(layout: DovecotLayout, configuration: Configuration, owner: MailOwner) throws {
        let manager = FileManager.default
        for directory in [layout.baseDirectory, layout.stateDirectory, layout.mailDirectory] {
            try manager.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o755])
        }
        for user in configuration.users {
            try manager.createDirectory(atPath: layout.home(user: user.name), withIntermediateDirectories: true,
                                        attributes: [.posixPermissions: 0o700])
            if let maildir = user.overrideMaildirPath {
                guard manager.fileExists(atPath: maildir) else {
                    throw TestSupportError(.invalidArgument, "the mail location of \(user.name) points at \(maildir), which does not exist")
                }
                try owner.take(maildir)
                try makeAncestorsSearchable(maildir)
            }
        }
        try owner.take(layout.mailDirectory)
        try write(DovecotConfigFile.renderPasswd(users: configuration.users, layout: layout),
                  to: layout.passwdPath, mode: 0o644)
    }

    /// Adds the search (x) bit for others on every ancestor of `path` that lacks it, so the
    /// unprivileged mail owner can reach a tree the tests made elsewhere (root only).
    private static func makeAncestorsSearchable(_ path: String) throws {
        guard MailOwner.isRoot else { return }
        var current = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while current.path != "/" && !current.path.isEmpty {
            var info = stat()
            if stat(current.path, &info) == 0, info.st_mode & S_IXOTH == 0 {
                chmod(current.path, (info.st_mode & 0o7777) | S_IXOTH)
            }
            current = current.deletingLastPathComponent()
        }
    }

    private static func waitUntilReady(_ process: ChildProcess, port: Int, layout: DovecotLayout,
                                       timeout: Duration) async throws {
        let deadline = ContinuousClock.now + timeout
        var lastError = "no connection yet"
        while ContinuousClock.now < deadline {
            if let status = process.exitStatus {
                throw TestSupportError(.dovecotFailedToStart,
                                       "dovecot exited with status \(status) before greeting. Log:\n\(tail(of: [layout.stdoutPath, layout.logPath], lines: 40))")
            }
            do {
                let greeting = try await IMAPLineClient.withConnection(
                    port: port, connectTimeout: .seconds(1), readTimeout: .seconds(2)) { try await $0.readLine() }
                if greeting.hasPrefix("* OK") { return }
                lastError = "unexpected greeting: \(greeting)"
            } catch {
                lastError = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw TestSupportError(.dovecotFailedToStart,
                               "dovecot did not greet on 127.0.0.1:\(port) within \(timeout) (\(lastError)). Log:\n\(tail(of: [layout.stdoutPath, layout.logPath], lines: 40))")
    }

    private static func groupName(_ gid: UInt32) -> String {
        var entry = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrgid_r(gid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.gr_name else { return String(gid) }
        return String(cString: name)
    }

    static func write(_ text: String, to path: String, mode: Int) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
        } catch {
            throw TestSupportError(.fileSystem, "cannot write \(path)", cause: error)
        }
    }
}
