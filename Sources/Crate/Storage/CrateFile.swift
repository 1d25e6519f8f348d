#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open file descriptor with the few EINTR-safe operations the crate needs; closes on deinit.
///
/// Every open uses `O_CLOEXEC | O_NOFOLLOW`, so a symlink planted inside a crate is never
/// followed, and every file created gets mode 0600 explicitly (independent of the umask).
final class CrateFile {
    let fd: Int32
    let path: String
    private var isOpen = true

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit {
        if isOpen { _ = systemClose(fd) }
    }

    /// Opens an existing file read-only.
    static func openForReading(_ path: String) throws -> CrateFile {
        try open(path, flags: O_RDONLY, operation: "open")
    }

    /// Creates a new file that must not exist yet (`O_EXCL`), mode 0600.
    static func createNew(_ path: String) throws -> CrateFile {
        try create(path, flags: O_WRONLY | O_CREAT | O_EXCL)
    }

    /// Creates or truncates a file, mode 0600.
    static func createTruncating(_ path: String) throws -> CrateFile {
        try create(path, flags: O_WRONLY | O_CREAT | O_TRUNC)
    }

    /// Opens (creating when missing) a file for appending, mode 0600.
    static func openForAppending(_ path: String) throws -> CrateFile {
        try create(path, flags: O_RDWR | O_CREAT | O_APPEND)
    }

    private static func create(_ path: String, flags: Int32) throws -> CrateFile {
        let file = try open(path, flags: flags, operation: "create")
        guard fchmod(file.fd, 0o600) == 0 else {
            throw CrateError.io("set mode 0600 on", path: path, errno: errno)
        }
        return file
    }

    private static func open(_ path: String, flags: Int32, operation: String) throws -> CrateFile {
        while true {
            let fd = systemOpen(path, flags | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 { return CrateFile(fd: fd, path: path) }
            let code = errno
            if code == EINTR { continue }
            if code == ELOOP {
                throw CrateError(
                    .unsafePath, "\(path) is a symbolic link; a crate never contains links. Remove it",
                    path: path, errno: code)
            }
            throw CrateError.io(operation, path: path, errno: code)
        }
    }

    /// Writes every byte of `bytes`, retrying short writes and EINTR.
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var base = bytes.baseAddress else { return }
        var remaining = bytes.count
        while remaining > 0 {
            let written = systemWrite(fd, base, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw CrateError.io("write to", path: path, errno: errno)
            }
            remaining -= written
            base += written
        }
    }

    /// Writes every byte of `bytes`.
    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    /// Reads up to `buffer.count` bytes at the current offset; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = systemRead(fd, base, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw CrateError.io("read", path: path, errno: errno)
        }
    }

    /// Reads up to `buffer.count` bytes at `offset`; 0 means end of file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let count = pread(fd, base, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw CrateError.io("read", path: path, errno: errno)
        }
    }

    /// Flushes the file's data and metadata to stable storage.
    func sync() throws {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw CrateError.io("flush (fsync)", path: path, errno: errno)
        }
    }

    /// Cuts the file to `length` bytes.
    func truncate(to length: Int) throws {
        while ftruncate(fd, off_t(length)) != 0 {
            if errno == EINTR { continue }
            throw CrateError.io("truncate", path: path, errno: errno)
        }
    }

    /// The current size in bytes.
    func size() throws -> Int {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw CrateError.io("stat", path: path, errno: errno) }
        return Int(info.st_size)
    }

    /// Sets access and modification time to `unixSeconds` (Maildir readers take the arrival
    /// date from the mtime).
    func setTimes(unixSeconds: Int64) throws {
        var times = [timespec(tv_sec: time_t(unixSeconds), tv_nsec: 0),
                     timespec(tv_sec: time_t(unixSeconds), tv_nsec: 0)]
        guard futimens(fd, &times) == 0 else {
            throw CrateError.io("set the modification time of", path: path, errno: errno)
        }
    }

    /// Closes the descriptor, reporting a failed close (which can mean lost data on NFS).
    func close() throws {
        guard isOpen else { return }
        isOpen = false
        if systemClose(fd) != 0 && errno != EINTR {
            throw CrateError.io("close", path: path, errno: errno)
        }
    }
}

// The system calls under names that do not clash with CrateFile's methods.
private func systemOpen(_ path: String, _ flags: Int32, _ mode: mode_t) -> Int32 { open(path, flags, mode) }
private func systemClose(_ fd: Int32) -> Int32 { close(fd) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { write(fd, buffer, count) }
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int { read(fd, buffer, count) }
