/// Replaces a file atomically: write a new file beside it, fsync it, rename it over, fsync the directory.
///
/// A reader sees either the whole old content or the whole new content, after a crash too.
public enum AtomicFile {
    public static func write(_ bytes: [UInt8], to path: String) throws {
        let directory = parentDirectory(of: path)
        let temporary = path + ".tmp"
        let file = try CrateFile.createTruncating(temporary)
        do {
            try file.write(bytes)
            try file.sync()
            try file.close()
            try CrateFileSystem.rename(temporary, to: path)
        } catch {
            try? file.close()
            try? CrateFileSystem.removeFile(temporary)
            throw error
        }
        try CrateFileSystem.syncDirectory(directory)
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "." }
        if slash == path.utf8.startIndex { return "/" }
        return String(path[path.startIndex..<slash])
    }
}
