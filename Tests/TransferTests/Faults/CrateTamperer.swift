import Crate
import Foundation

/// Tampers with a crate the way an attacker would (paths out of it, symlinks, duplicate or
/// absurd records, a gzip bomb), next to an `outside` directory holding canary files that
/// must never be read into a destination nor changed.
struct CrateTamperer: Sendable {
    static let canary = "SECRET-CANARY-OUTSIDE-THE-CRATE"

    let crate: URL
    let outside: URL

    init(crate: URL, outside: URL) throws {
        self.crate = crate
        self.outside = outside
        try FileManager.default.createDirectory(at: outside.appendingPathComponent("dir"), withIntermediateDirectories: true)
        try Self.canaryMessage.write(to: outside.appendingPathComponent("secret.eml"))
    }

    static var canaryMessage: Data { Data("Subject: \(canary)\r\n\r\n\(canary)\r\n".utf8) }

    /// An absolute path to a canary file.
    var outsidePath: String { outside.appendingPathComponent("secret.eml").path }

    var manifestURL: URL { crate.appendingPathComponent(Manifest.fileName) }

    func indexPath(_ folder: String) throws -> URL {
        let reader = try CrateReader(at: crate)
        guard let entry = reader.folder(named: folder) else { throw TamperError("no folder \(folder)") }
        return crate.appendingPathComponent(entry.indexFile)
    }

    /// The data file of INBOX record `record` (1-based index line).
    func messagePath(record: Int) throws -> URL {
        let reader = try CrateReader(at: crate)
        guard let inbox = reader.folder(named: "INBOX") else { throw TamperError("no INBOX") }
        let records = try reader.records(in: inbox)
        guard case .file(let file) = records[record - 1].location else { throw TamperError("not a Maildir crate") }
        return crate.appendingPathComponent(inbox.location).appendingPathComponent(file)
    }

    /// Rewrites line `record` (1-based) of INBOX's index as JSON.
    func editRecord(_ record: Int, _ change: (inout [String: Any]) -> Void) throws {
        try editIndex { lines in
            var object = try JSONSerialization.jsonObject(with: Data(lines[record - 1].utf8)) as? [String: Any] ?? [:]
            change(&object)
            lines[record - 1] = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
    }

    /// Repeats line `record` of INBOX's index right after itself.
    func duplicateRecord(_ record: Int) throws {
        try editIndex { lines in lines.insert(lines[record - 1], at: record) }
    }

    private func editIndex(_ change: (inout [String]) throws -> Void) throws {
        let url = try indexPath("INBOX")
        var lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        try change(&lines)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: false, encoding: .utf8)
    }

    /// Rewrites the manifest entry of `folder`.
    func editFolder(_ folder: String, _ change: (inout [String: Any]) -> Void) throws {
        var manifest = try JSONSerialization.jsonObject(with: Data(contentsOf: manifestURL)) as? [String: Any] ?? [:]
        var folders = manifest["folders"] as? [[String: Any]] ?? []
        guard let index = folders.firstIndex(where: { $0["name"] as? String == folder }) else { throw TamperError("no \(folder)") }
        change(&folders[index])
        manifest["folders"] = folders
        try JSONSerialization.data(withJSONObject: manifest).write(to: manifestURL)
    }

    /// Moves `url` aside and puts a symlink to a look-alike outside the crate in its place: a
    /// reader that follows it would take the canary for crate data.
    func replaceWithSymlink(_ url: URL, directory: Bool = false) throws {
        let manager = FileManager.default
        let target: URL
        if directory {
            target = outside.appendingPathComponent("dir")
            for name in try manager.contentsOfDirectory(atPath: url.path) {
                try Self.canaryMessage.write(to: target.appendingPathComponent(name))
            }
        } else {
            target = outside.appendingPathComponent("look-alike-\(url.lastPathComponent)")
            try manager.copyItem(at: url, to: target)
        }
        try manager.removeItem(at: url)
        try manager.createSymbolicLink(at: url, withDestinationURL: target)
    }

    /// Replaces INBOX record `record`'s gzip file with 64 MiB of zeros compressed (a few KiB).
    func plantGzipBomb(record: Int) throws {
        let writer = try GzipWriter(level: 9)
        var bomb: [UInt8] = []
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<64 { try writer.write(zeros) { bomb.append(contentsOf: $0) } }
        _ = try writer.finish { bomb.append(contentsOf: $0) }
        try Data(bomb).write(to: try messagePath(record: record))
    }

    /// Every file below `outside` with its bytes and permissions.
    func outsideSnapshot() throws -> [String: String] {
        var snapshot: [String: String] = [:]
        let manager = FileManager.default
        guard let enumerator = manager.enumerator(atPath: outside.path) else { return snapshot }
        for case let relative as String in enumerator {
            let url = outside.appendingPathComponent(relative)
            let attributes = try manager.attributesOfItem(atPath: url.path)
            let contents = (try? Data(contentsOf: url)).map { $0.base64EncodedString() } ?? "directory"
            snapshot[relative] = "\(attributes[.posixPermissions] ?? 0) \(contents)"
        }
        return snapshot
    }

    /// Reads every record and every message of every folder, as import would.
    func readEverything(_ reader: CrateReader) throws {
        for folder in reader.folders where folder.selectable {
            for record in try reader.records(in: folder) {
                let source = try reader.openMessage(record, in: folder)
                defer { source.close() }
                try source.verify()
            }
        }
    }
}

/// A tampering that could not be set up (the crate does not look as the test expects).
struct TamperError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
