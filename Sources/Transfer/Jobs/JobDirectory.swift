import Crate
import Crypto
import Foundation

/// The state directory's job area: one directory per account, named by a readable prefix
/// of the account and a hash of it (account names never become paths unescaped).
public enum JobDirectory {
    public static func url(for account: String, in stateDirectory: URL) -> URL {
        let digest = SHA256.hash(data: Data(account.utf8)).prefix(8).map { String(format: "%02x", $0) }.joined()
        let readable = account.unicodeScalars.map { scalar -> String in
            let allowed = CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII
            return allowed || "@.-_".unicodeScalars.contains(scalar) ? String(scalar) : "_"
        }.joined().prefix(60)
        return stateDirectory.appendingPathComponent("jobs").appendingPathComponent("\(readable)-\(digest)")
    }

    /// Creates `directory` and any missing parents, each private (0700): state directories
    /// hold journals and job details that are nobody else's business.
    public static func create(_ directory: URL) throws {
        let manager = FileManager.default
        var missing: [URL] = []
        var cursor = directory.standardizedFileURL
        while !manager.fileExists(atPath: cursor.path), cursor.path != "/" {
            missing.append(cursor)
            cursor = cursor.deletingLastPathComponent()
        }
        for url in missing.reversed() {
            do {
                try manager.createDirectory(at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
            } catch where manager.fileExists(atPath: url.path) {
                continue
            } catch {
                throw TransferError(.failed, "cannot create the state directory \(url.path): \(error.localizedDescription)")
            }
        }
    }

    static func readStatus(_ directory: URL) -> JobStatus? {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("status.json").path) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(JobStatus.self, from: data)
    }

    static func writeStatus(_ status: JobStatus, to directory: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        try AtomicFile.write(Array(try encoder.encode(status)), to: directory.appendingPathComponent("status.json").path)
    }

    /// True while a process holds the account's lock.
    static func isLocked(_ directory: URL) -> Bool {
        let descriptor = open(directory.appendingPathComponent("lock").path, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return false
        }
        return true
    }

    /// Every job known in the state directory, or the one for `account`. A job whose status
    /// says running but whose lock is free died without finishing: shown as failed.
    public static func statuses(in stateDirectory: URL, account: String? = nil) -> [JobStatus] {
        let directories: [URL]
        if let account {
            directories = [url(for: account, in: stateDirectory)]
        } else {
            let jobs = stateDirectory.appendingPathComponent("jobs")
            directories = ((try? FileManager.default.contentsOfDirectory(at: jobs, includingPropertiesForKeys: nil)) ?? []).sorted { $0.path < $1.path }
        }
        return directories.map { directory in
            guard var status = readStatus(directory) else { return .notStarted(account: account ?? directory.lastPathComponent) }
            if status.state == .running && !isLocked(directory) {
                // A job writes its last status before it lets go of its lock: one that ended
                // between the two looks has its final status on disk now.
                if let final = readStatus(directory) { status = final }
                if status.state == .running {
                    status.state = .failed
                    status.summary = "the job (pid \(status.pid)) stopped before finishing; run it again to resume"
                }
            }
            return status
        }
    }

    /// `pid 4242, export started 2026-11-27 10:00:00, 120 of 2000 messages` for lock refusals.
    static func describe(_ status: JobStatus) -> String {
        let formatter = ISO8601DateFormatter()
        return "pid \(status.pid), \(status.kind) started \(formatter.string(from: status.startedAt)), \(status.phase), \(status.messagesDone) of \(status.messagesTotal) messages"
    }
}
