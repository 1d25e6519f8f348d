import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The account Dovecot's mail processes run as, and the owner of every mail file the harness
/// writes.
///
/// Dovecot refuses to access mail as root. When the tests run as root the harness uses the
/// unprivileged system user `imapcrate-test`, created once with `useradd --system` if missing;
/// otherwise it uses the current user (Dovecot then runs unprivileged, as that user).
public struct MailOwner: Sendable, Equatable {
    /// The system user created for the tests when they run as root.
    public static let testUserName = "imapcrate-test"

    public let userName: String
    public let uid: UInt32
    public let gid: UInt32

    /// True when the tests (and so Dovecot's master) run as root.
    public static var isRoot: Bool { geteuid() == 0 }

    /// The owner to use in this process: `imapcrate-test` under root (created if missing), else
    /// the current user.
    public static func resolve() async throws -> MailOwner {
        if !isRoot {
            let uid = geteuid()
            guard let name = lookup(uid: uid)?.userName else {
                throw TestSupportError(.invalidArgument, "the current uid \(uid) has no passwd entry")
            }
            return MailOwner(userName: name, uid: uid, gid: getegid())
        }
        return try await TestUserProvisioner.shared.ensureTestUser()
    }

    /// Gives `path` (recursively when it is a directory) to this owner. A no-op unless root.
    public func take(_ path: String) throws {
        guard Self.isRoot else { return }
        try changeOwner(path)
        guard let enumerator = FileManager.default.enumerator(atPath: path) else { return }
        for case let relative as String in enumerator {
            try changeOwner("\(path)/\(relative)")
        }
    }

    private func changeOwner(_ path: String) throws {
        guard lchown(path, uid, gid) == 0 else {
            throw TestSupportError(.fileSystem, "chown \(userName) \(path) failed: errno \(errno)")
        }
    }

    static func lookup(name: String) -> MailOwner? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return MailOwner(userName: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }

    static func lookup(uid: UInt32) -> MailOwner? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &entry, &buffer, buffer.count, &result) == 0, result != nil,
              let name = entry.pw_name else { return nil }
        return MailOwner(userName: String(cString: name), uid: entry.pw_uid, gid: entry.pw_gid)
    }
}

/// Creates the `imapcrate-test` system user at most once per process; tolerates another process
/// creating it at the same time.
actor TestUserProvisioner {
    static let shared = TestUserProvisioner()

    func ensureTestUser() async throws -> MailOwner {
        if let existing = MailOwner.lookup(name: MailOwner.testUserName) { return existing }
        guard let useradd = ExecutableLookup.find("useradd") else {
            throw TestSupportError(.commandFailed,
                                   "useradd not found: cannot create the unprivileged user \(MailOwner.testUserName) Dovecot needs when tests run as root")
        }
        var lastError = ""
        for _ in 0..<5 {
            let output = try await ChildProcess.run(
                useradd,
                ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", MailOwner.testUserName],
                scratchDirectory: NSTemporaryDirectory())
            if let created = MailOwner.lookup(name: MailOwner.testUserName) { return created }
            lastError = output.stderr
            try await Task.sleep(for: .milliseconds(200))
        }
        throw TestSupportError(.commandFailed,
                               "cannot create system user \(MailOwner.testUserName) with useradd: \(lastError)")
    }
}
