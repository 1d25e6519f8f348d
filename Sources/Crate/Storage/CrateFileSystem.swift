#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Directory and path operations of the crate, with explicit modes (0700) and no symlink following.
enum CrateFileSystem {
    /// What `lstat` says a path is.
    enum EntryType: Equatable {
        case regular, directory, symlink, other
    }

    /// The type of `path` without following a final symlink, or nil when it does not exist.
    static func entryType(_ path: String) throws -> EntryType? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR { return nil }
            throw CrateError.io("inspect", path: path, errno: errno)
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .regular
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    /// The permission bits of `path` (for example 0o600).
    static func permissions(_ path: String) throws -> UInt32 {
        var info = stat()
        guard lstat(path, &info) == 0 else { throw CrateError.io("inspect", path: path, errno: errno) }
        return UInt32(info.st_mode & 0o7777)
    }

    /// Creates `path` with mode 0700 when missing; an existing directory is accepted as it is.
    /// Returns true when it created the directory.
    @discardableResult
    static func makeDirectory(_ path: String) throws -> Bool {
        if mkdir(path, 0o700) == 0 {
            guard chmod(path, 0o700) == 0 else {
                throw CrateError.io("set mode 0700 on", path: path, errno: errno)
            }
            return true
        }
        let code = errno
        guard code == EEXIST else { throw CrateError.io("create directory", path: path, errno: code) }
        switch try entryType(path) {
        case .directory: return false
        case .symlink:
            throw CrateError(
                .unsafePath, "\(path) is a symbolic link; a crate never contains links. Remove it",
                path: path)
        default:
            throw CrateError(
                .corrupt, "\(path) should be a directory but is a file; move it away and run again",
                path: path)
        }
    }

    /// Sets the mode of an existing directory to 0700.
    static func restrictDirectory(_ path: String) throws {
        guard chmod(path, 0o700) == 0 else { throw CrateError.io("set mode 0700 on", path: path, errno: errno) }
    }

    /// The names in a directory, without `.` and `..`, sorted bytewise.
    static func listDirectory(_ path: String) throws -> [String] {
        guard let dir = opendir(path) else { throw CrateError.io("list directory", path: path, errno: errno) }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Removes a file; a missing file is not an error.
    static func removeFile(_ path: String) throws {
        if unlink(path) != 0 && errno != ENOENT {
            throw CrateError.io("remove", path: path, errno: errno)
        }
    }

    /// Renames `from` to `to` atomically (replacing `to`).
    static func rename(_ from: String, to: String) throws {
        guard systemRename(from, to) == 0 else { throw CrateError.io("rename \(from) to", path: to, errno: errno) }
    }

    /// Flushes a directory's entries (after create, rename or unlink) to stable storage.
    static func syncDirectory(_ path: String) throws {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CrateError.io("open directory", path: path, errno: errno) }
        defer { close(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            // Some filesystems cannot fsync directories; their renames are durable already.
            if errno == EINVAL || errno == EBADF { return }
            throw CrateError.io("flush (fsync) directory", path: path, errno: errno)
        }
    }

    /// Flushes everything written to the filesystem holding `path` with one `syncfs` call
    /// (Linux). Returns false where `syncfs` does not exist, so the caller syncs file by file.
    static func syncFileSystem(containing path: String) throws -> Bool {
        guard let syncfs = SyncFS.function else { return false }
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw CrateError.io("open directory", path: path, errno: errno) }
        defer { close(fd) }
        guard syncfs(fd) == 0 else { throw CrateError.io("flush (syncfs) the filesystem of", path: path, errno: errno) }
        return true
    }

    /// Opens `path` and fsyncs it (used where `syncfs` is missing).
    static func syncFile(_ path: String) throws {
        let file = try CrateFile.openForReading(path)
        try file.sync()
        try file.close()
    }

    /// This machine's host name made safe for a Maildir file name (letters, digits, `-`, `_`, `.`).
    static let maildirHostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        let raw = gethostname(&buffer, buffer.count - 1) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : ""
        let safe = String(raw.unicodeScalars.prefix(64).map { scalar -> Character in
            let v = scalar.value
            let ok = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
                || v == 0x2D || v == 0x5F || v == 0x2E
            return ok ? Character(scalar) : "-"
        })
        return safe.isEmpty ? "localhost" : safe
    }()
}

private func systemRename(_ from: String, _ to: String) -> Int32 { rename(from, to) }

/// `syncfs(2)`, looked up at run time: Glibc's Swift overlay does not export it.
private enum SyncFS {
    typealias Function = @convention(c) (Int32) -> Int32
    static let function: Function? = {
        #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "syncfs") else { return nil }
        return unsafeBitCast(symbol, to: Function.self)
        #else
        return nil
        #endif
    }()
}
