import Crate
import Crypto
import Foundation
import IMAPClient
import IMAPProtocol
import TestSupport

/// What a Dovecot account holds, for the binary-driven transfer tests: per folder (path
/// components joined with `/`), each message's UID, SHA-256 of `BODY.PEEK[]`, flags and
/// keywords, and INTERNALDATE instant; imapcrate's completion reports in INBOX counted apart.
struct TransferSnapshot: Equatable {
    struct Message: Hashable {
        var uid: UInt32
        var sha256: String
        var flags: [String]
        var internalDate: Int64

        /// What must survive a transfer: everything but the UID, which the destination assigns.
        var content: String { "\(sha256) \(flags.joined(separator: " ")) @\(internalDate)" }
    }

    var folders: [String: [Message]] = [:]
    var reports: [String] = []

    /// Per folder, the sorted content lines: equal for two accounts holding the same mail.
    var contents: [String: [String]] { folders.mapValues { $0.map(\.content).sorted() } }

    /// Per folder, the sorted `UID SHA-256` pairs: what a crate of this account must hold.
    var identities: [String: [String]] { folders.mapValues { $0.map { "\($0.uid) \($0.sha256)" }.sorted() } }

    var messageCount: Int { folders.values.reduce(0) { $0 + $1.count } }

    /// Folder by folder, what `self` lacks or has too much of compared with `expected`
    /// (lines of `contents`); empty when both hold the same mail.
    func differences(from expected: TransferSnapshot) -> [String] {
        transferDifferences(contents, expected: expected.contents)
    }

    /// Reads `user`'s account over plain IMAP (EXAMINE and BODY.PEEK[]: nothing changes).
    static func take(_ server: DovecotServer, user: String) async throws -> TransferSnapshot {
        guard let entry = server.users.first(where: { $0.name == user }) else { throw RunnerError("no user \(user)") }
        let configuration = ConnectionConfiguration(host: server.host, port: server.plainPort, security: .plain, allowPlaintext: true)
        return try await IMAPConnection.withSession(configuration) { session in
            try await session.authenticate(.password(username: entry.name, password: entry.password))
            var snapshot = TransferSnapshot()
            for list in try await session.listAll() where !list.hasAttribute("\\Noselect") && !list.hasAttribute("\\NonExistent") {
                let name = list.mailbox.isInbox ? "INBOX" : list.mailbox.displayName
                let key = list.delimiter.map { name.split(separator: $0, omittingEmptySubsequences: false).joined(separator: "/") } ?? name
                var messages: [Message] = []
                for (message, bytes) in try await fetchAll(session, list.mailbox) {
                    if key == "INBOX", bytes.starts(with: Array("From: imapcrate <imapcrate@localhost>".utf8)) {
                        snapshot.reports.append(String(decoding: bytes, as: UTF8.self))
                    } else {
                        messages.append(message)
                    }
                }
                snapshot.folders[key] = messages
            }
            return snapshot
        }
    }

    private static func fetchAll(_ session: IMAPSession, _ mailbox: MailboxName) async throws -> [(Message, [UInt8])] {
        guard try await session.select(mailbox, readOnly: true).exists > 0 else { return [] }
        var result: [(Message, [UInt8])] = []
        var message = Message(uid: 0, sha256: "", flags: [], internalDate: 0)
        var bytes: [UInt8] = []
        for try await event in session.uidFetch(["1:*"], items: [.uid, .flags, .internalDate, .bodyPeek(section: "")]) {
            switch event {
            case .start: (message, bytes) = (Message(uid: 0, sha256: "", flags: [], internalDate: 0), [])
            case .attribute(.uid(let uid)): message.uid = uid
            case .attribute(.flags(let flags)): message.flags = flags.filter { $0 != .recent }.map(\.rawValue).sorted()
            case .attribute(.internalDate(let date)): message.internalDate = Int64(date.date.timeIntervalSince1970)
            case .streamingBytes(let chunk): bytes += chunk.readableBytesView
            case .finish:
                message.sha256 = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
                result.append((message, bytes))
            default: break
            }
        }
        return result
    }
}

/// Per folder of two `[folder: [line]]` tables, the lines missing from `have` and the lines
/// it has in excess (counting repeats), as short sentences.
func transferDifferences(_ have: [String: [String]], expected: [String: [String]]) -> [String] {
    var found: [String] = []
    for folder in Set(have.keys).union(expected.keys).sorted() {
        guard let want = expected[folder] else { found.append("extra folder \(folder)"); continue }
        guard let got = have[folder] else { found.append("missing folder \(folder)"); continue }
        var counts: [String: Int] = [:]
        for line in want { counts[line, default: 0] += 1 }
        for line in got { counts[line, default: 0] -= 1 }
        for (line, count) in counts.sorted(by: { $0.key < $1.key }) where count != 0 {
            found.append("\(folder): \(count > 0 ? "missing" : "extra") \(abs(count))× \(line.prefix(80))")
        }
    }
    return found
}

/// Per folder, the sorted `UID SHA-256` pairs a crate's indexes hold (duplicates kept, so a
/// doubled record shows).
func crateIdentities(_ crate: URL) throws -> [String: [String]] {
    let reader = try CrateReader(at: crate)
    var result: [String: [String]] = [:]
    for folder in reader.folders where folder.selectable {
        let key = folder.pathComponents.joined(separator: "/")
        result[key] = try reader.records(in: folder).map { "\($0.uid) \($0.sha256)" }.sorted()
    }
    return result
}

/// The account URL and arguments that reach `user` on this Dovecot in plain text.
extension DovecotServer {
    func plainURL(_ user: String) -> String { "imap://\(user)@\(host):\(plainPort)" }
}
