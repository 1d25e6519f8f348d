import Foundation

extension Manifest {
    /// Reads and validates `<crateRoot>/manifest.json`.
    ///
    /// Throws `.notACrate` (missing file, other format), `.unsupportedVersion` (newer format),
    /// `.corrupt` (unreadable JSON, duplicate folders) or `.unsafePath` (a location or index path
    /// that is absolute, contains `..`, or goes through a symlink).
    public static func read(crateRoot: String) throws -> Manifest {
        let path = crateRoot + "/" + fileName
        guard try CrateFileSystem.entryType(path) != nil else {
            throw CrateError(
                .notACrate, "\(crateRoot) is not a crate: it has no \(fileName). Check the path",
                path: path)
        }
        let data = try readWholeFile(path, limit: 256 * 1024 * 1024)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let header: Header
        do {
            header = try decoder.decode(Header.self, from: data)
        } catch {
            throw CrateError.corrupt("unreadable JSON", path: path, cause: error)
        }
        guard header.format == formatName else {
            throw CrateError(
                .notACrate, "\(path) is not an imapcrate manifest (format \"\(header.format)\")", path: path)
        }
        guard header.formatVersion == currentVersion else {
            let hint = header.formatVersion > currentVersion
                ? "it was written by a newer imapcrate; install a newer version to read it"
                : "this imapcrate reads version \(currentVersion) only"
            throw CrateError(
                .unsupportedVersion, "\(path) has crate format version \(header.formatVersion): \(hint)",
                path: path)
        }
        let manifest: Manifest
        do {
            manifest = try decoder.decode(Manifest.self, from: data)
        } catch {
            throw CrateError.corrupt("a manifest that does not match format v1", path: path, cause: error)
        }
        try manifest.validate(crateRoot: crateRoot, manifestPath: path)
        return manifest
    }

    /// Writes the manifest atomically to `<crateRoot>/manifest.json`.
    func write(crateRoot: String) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(self))
        bytes.append(0x0A)
        try AtomicFile.write(bytes, to: crateRoot + "/" + Self.fileName)
    }

    private func validate(crateRoot: String, manifestPath: String) throws {
        var names = Set<[UInt8]>()
        var paths = Set<String>()
        for folder in folders {
            guard names.insert(Array(folder.name.utf8)).inserted else {
                throw CrateError.corrupt("folder \"\(folder.name)\" listed twice", path: manifestPath)
            }
            guard (0...Int(UInt32.max)).contains(folder.messageCount), (0...Self.maximumFolderBytes).contains(folder.bytes) else {
                throw CrateError.corrupt(
                    "folder \"\(folder.name)\" claims \(folder.messageCount) messages / \(folder.bytes) bytes, which no mailbox holds",
                    path: manifestPath)
            }
            for (what, relative) in [("location", folder.location), ("indexFile", folder.indexFile)] {
                let components = try RelativePath.validate(relative, in: manifestPath, what: what)
                try RelativePath.checkNoSymlinks(components, root: crateRoot, in: manifestPath)
                guard paths.insert(FolderKeyAllocator.collisionForm(relative)).inserted else {
                    throw CrateError.corrupt("path \"\(relative)\" used by two folders", path: manifestPath)
                }
            }
        }
    }

    /// More than any real folder holds (64 TiB): a larger count is tampering, and refusing it
    /// keeps every sum over folders far from overflowing.
    static let maximumFolderBytes = 1 << 46

    private struct Header: Decodable {
        var format: String
        var formatVersion: Int
    }
}

/// Reads a whole (small) file, refusing files over `limit` bytes.
func readWholeFile(_ path: String, limit: Int) throws -> Data {
    let file = try CrateFile.openForReading(path)
    let size = try file.size()
    guard size <= limit else {
        throw CrateError(.limitExceeded, "\(path) is \(size) bytes, more than the \(limit) allowed", path: path)
    }
    var data = Data(count: size)
    var filled = 0
    try data.withUnsafeMutableBytes { raw in
        while filled < size {
            let count = try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            if count == 0 { break }
            filled += count
        }
    }
    try file.close()
    return data.prefix(filled)
}
