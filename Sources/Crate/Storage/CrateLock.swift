#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory `flock` on `<crate>/.imapcrate.lock`: one writer at a time, readers share.
///
/// The lock is released when the value is released (or the process dies, even by `kill -9`).
final class CrateLock {
    static let fileName = ".imapcrate.lock"
    private let file: CrateFile

    private init(file: CrateFile) { self.file = file }

    /// Takes the exclusive writer lock, creating the lock file when missing.
    static func exclusive(crateRoot: String) throws -> CrateLock {
        let path = crateRoot + "/" + fileName
        let file = try CrateFile.openForAppending(path)
        try take(file, operation: LOCK_EX, path: path, crateRoot: crateRoot)
        return CrateLock(file: file)
    }

    /// Takes a shared lock when the lock file exists (never creates a file, so it works on
    /// read-only media); returns nil when there is no lock file.
    static func shared(crateRoot: String) throws -> CrateLock? {
        let path = crateRoot + "/" + fileName
        guard try CrateFileSystem.entryType(path) == .regular else { return nil }
        let file = try CrateFile.openForReading(path)
        try take(file, operation: LOCK_SH, path: path, crateRoot: crateRoot)
        return CrateLock(file: file)
    }

    /// How long a busy lock is retried before `.locked`: a lock just released can stay held for
    /// a moment by a forked child that has not reached `exec` yet (its copy of the descriptor).
    static let patience: Duration = .milliseconds(500)

    private static func take(_ file: CrateFile, operation: Int32, path: String, crateRoot: String) throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: patience)
        while flock(file.fd, operation | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            if code == EWOULDBLOCK && clock.now < deadline {
                usleep(20_000)
                continue
            }
            if code == EWOULDBLOCK {
                throw CrateError(
                    .locked,
                    "another imapcrate process is writing the crate \(crateRoot); wait for it to finish "
                        + "(`imapcrate status`) or stop it, then run again",
                    path: path, errno: code)
            }
            throw CrateError.io("lock", path: path, errno: code)
        }
    }
}
