import Crypto
import Foundation
import IMAPClient
import IMAPProtocol
import TestSupport

/// One message exactly as a server serves it: `UID FETCH (UID FLAGS INTERNALDATE BODY.PEEK[])`.
struct ServedMessage: Hashable {
    var uid: UInt32
    /// Flags and keywords, sorted, without `\Recent`.
    var flags: [String]
    var internalDate: InternalDate
    var bytes: [UInt8]

    var sha256: String { sha256Hex(bytes) }
}

extension IMAPSession {
    /// Every message of `mailbox`, read with EXAMINE and BODY.PEEK[] (nothing changes on the server).
    func servedMessages(in mailbox: MailboxName) async throws -> [ServedMessage] {
        let selected = try await select(mailbox, readOnly: true)
        guard selected.exists > 0 else { return [] }
        var result: [ServedMessage] = []
        var uid: UInt32?
        var flags: [String] = []
        var date: InternalDate?
        var bytes: [UInt8] = []
        let items: [FetchItem] = [.uid, .flags, .internalDate, .bodyPeek(section: "")]
        for try await event in uidFetch(["1:*"], items: items) {
            switch event {
            case .start:
                (uid, flags, date, bytes) = (nil, [], nil, [])
            case .attribute(.uid(let value)): uid = value
            case .attribute(.flags(let value)): flags = value.filter { $0 != .recent }.map(\.rawValue).sorted()
            case .attribute(.internalDate(let value)): date = value
            case .attribute: break
            case .streamingBegin(_, let count): bytes.reserveCapacity(count)
            case .streamingBytes(let chunk): bytes += chunk.readableBytesView
            case .streamingEnd: break
            case .finish:
                guard let uid, let date else { throw TestSetupError("a FETCH response without UID or INTERNALDATE") }
                result.append(ServedMessage(uid: uid, flags: flags, internalDate: date, bytes: bytes))
            }
        }
        return result.sorted { $0.uid < $1.uid }
    }
}

/// What an account holds, in a form two accounts can be compared by: folders by hierarchy
/// (separator-independent), each message by content hash, flags and keywords, and arrival
/// instant; subscriptions; and, kept apart, the imapcrate completion reports in INBOX.
struct AccountSnapshot: Equatable {
    struct Message: Hashable, Comparable, CustomStringConvertible {
        var sha256: String
        var size: Int
        var flags: [String]
        /// INTERNALDATE as Unix seconds (servers may show another zone for the same instant).
        var internalDate: Int64

        static func < (lhs: Message, rhs: Message) -> Bool {
            (lhs.sha256, lhs.internalDate, lhs.flags.joined(separator: " "))
                < (rhs.sha256, rhs.internalDate, rhs.flags.joined(separator: " "))
        }

        var description: String { "\(sha256.prefix(12)) \(size)B \(flags) @\(internalDate)" }
    }

    struct Folder: Equatable {
        var selectable: Bool
        var subscribed: Bool
        var messages: [Message]
    }

    /// Folders by their path components joined with `/` (`INBOX`, `Archive/2024`).
    var folders: [String: Folder] = [:]
    /// The completion reports found in INBOX (not counted among its messages), as text.
    var reports: [String] = []

    /// Reads `user`'s whole account on `server`.
    static func take(_ server: DovecotServer, user: String) async throws -> AccountSnapshot {
        try await server.withSession(user) { session in try await take(session) }
    }

    static func take(_ session: IMAPSession) async throws -> AccountSnapshot {
        var snapshot = AccountSnapshot()
        for entry in try await session.listAll() where !entry.hasAttribute("\\NonExistent") {
            let name = entry.mailbox.isInbox ? "INBOX" : entry.mailbox.displayName
            let key = entry.delimiter.map { name.split(separator: $0, omittingEmptySubsequences: false).joined(separator: "/") } ?? name
            let selectable = !entry.hasAttribute("\\Noselect")
            var folder = Folder(selectable: selectable, subscribed: entry.hasAttribute("\\Subscribed"), messages: [])
            if selectable {
                for message in try await session.servedMessages(in: entry.mailbox) {
                    if key == "INBOX", CompletionReportText.isReport(message.bytes) {
                        snapshot.reports.append(String(decoding: message.bytes, as: UTF8.self))
                        continue
                    }
                    folder.messages.append(Message(
                        sha256: message.sha256, size: message.bytes.count, flags: message.flags,
                        internalDate: Int64(message.internalDate.date.timeIntervalSince1970)))
                }
            }
            folder.messages.sort()
            snapshot.folders[key] = folder
        }
        return snapshot
    }

    /// The snapshot with the personal namespace prefix taken off folder names (`INBOX/Archive`
    /// → `Archive` for a server whose folders all live under `INBOX.`), so that accounts on
    /// servers with and without a prefix compare.
    func removingNamespacePrefix() -> AccountSnapshot {
        var result = self
        result.folders = [:]
        for (name, folder) in folders {
            result.folders[name.hasPrefix("INBOX/") ? String(name.dropFirst(6)) : name] = folder
        }
        return result
    }

    /// Every message of every folder.
    var messageCount: Int { folders.values.reduce(0) { $0 + $1.messages.count } }

    /// Human-readable differences from `expected`; empty when the accounts hold the same.
    func differences(from expected: AccountSnapshot) -> [String] {
        var found: [String] = []
        for name in Set(expected.folders.keys).union(folders.keys).sorted() {
            guard let want = expected.folders[name] else { found.append("extra folder \(name)"); continue }
            guard let have = folders[name] else { found.append("missing folder \(name)"); continue }
            if want.selectable != have.selectable { found.append("\(name): selectable \(have.selectable), expected \(want.selectable)") }
            if want.subscribed != have.subscribed { found.append("\(name): subscribed \(have.subscribed), expected \(want.subscribed)") }
            let missing = want.messages.multisetSubtracting(have.messages)
            let extra = have.messages.multisetSubtracting(want.messages)
            if !missing.isEmpty { found.append("\(name): missing \(missing)") }
            if !extra.isEmpty { found.append("\(name): extra \(extra)") }
        }
        return found
    }
}

/// Recognises the completion report imapcrate APPENDs to INBOX and reads its parts.
enum CompletionReportText {
    static let fromLine = "From: imapcrate <imapcrate@localhost>"

    static func isReport(_ bytes: [UInt8]) -> Bool { bytes.starts(with: Array(fromLine.utf8)) }

    /// The Subject header of a report.
    static func subject(_ report: String) -> String? {
        report.components(separatedBy: "\r\n").first { $0.hasPrefix("Subject: ") }.map { String($0.dropFirst("Subject: ".count)) }
    }

    /// The body lines of a report.
    static func bodyLines(_ report: String) -> [String] {
        let parts = report.components(separatedBy: "\r\n\r\n")
        return parts.dropFirst().joined(separator: "\r\n\r\n").components(separatedBy: "\r\n")
    }
}

extension Array where Element: Hashable {
    /// The elements of `self` left after removing one occurrence per element of `other`.
    func multisetSubtracting(_ other: [Element]) -> [Element] {
        var counts: [Element: Int] = [:]
        for element in other { counts[element, default: 0] += 1 }
        return filter { element in
            guard let count = counts[element], count > 0 else { return true }
            counts[element] = count - 1
            return false
        }
    }
}

/// Lowercase hex SHA-256.
func sha256Hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
    SHA256.hash(data: Array(bytes)).map { String(format: "%02x", $0) }.joined()
}
