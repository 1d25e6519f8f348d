import IMAPClient
import IMAPProtocol
import Logging

/// The result of the seed service's "test the connection" step: who the server is, what it
/// can do, and what the account holds.
public struct AccountReport: Sendable, Codable {
    public struct Folder: Sendable, Codable {
        public var name: String
        public var attributes: [String]
        public var selectable: Bool
        public var messages: UInt64
        public var bytes: UInt64
    }

    public var account: String
    public var tls: String
    public var server: [String: String]
    public var capabilities: [String]
    public var separator: String?
    public var namespacePrefix: String
    public var folders: [Folder]

    public var totalMessages: UInt64 { folders.reduce(0) { $0 + $1.messages } }
    public var totalBytes: UInt64 { folders.reduce(0) { $0 + $1.bytes } }
}

/// Connects to an account, logs in and counts every folder (read-only; nothing changes).
public enum AccountCheck {
    public static func run(_ account: Account, logger: Logger) async throws -> AccountReport {
        try await account.withSession(logger: logger) { session in
            let identity = try await session.identify([("name", "imapcrate"), ("version", ToolVersion.current)]) ?? [:]
            let namespace = try await session.namespace()
            let mailboxes = try await session.listAll()
            var folders: [AccountReport.Folder] = []
            for mailbox in mailboxes {
                let selectable = !mailbox.hasAttribute("\\Noselect") && !mailbox.hasAttribute("\\NonExistent")
                var messages: UInt64 = 0
                var bytes: UInt64 = 0
                if selectable {
                    (messages, bytes) = try await count(mailbox.mailbox, session: session)
                }
                folders.append(AccountReport.Folder(
                    name: mailbox.mailbox.displayName,
                    attributes: mailbox.attributes,
                    selectable: selectable,
                    messages: messages,
                    bytes: bytes
                ))
            }
            let personal = namespace?.personal.first
            let separator = personal?.delimiter ?? mailboxes.lazy.compactMap(\.delimiter).first
            return AccountReport(
                account: account.address.url,
                tls: describeTLS(account, encrypted: session.isEncrypted),
                server: identity,
                capabilities: session.capabilities.map(\.rawValue).sorted(),
                separator: separator.map(String.init),
                namespacePrefix: personal?.prefix.displayName ?? "",
                folders: folders
            )
        }
    }

    /// Message count and total size: `STATUS (MESSAGES SIZE)` when the server has
    /// STATUS=SIZE (RFC 8438), else EXAMINE and sum `RFC822.SIZE` over all messages.
    static func count(_ mailbox: MailboxName, session: IMAPSession) async throws -> (UInt64, UInt64) {
        if session.supports(Capability("STATUS=SIZE")) {
            let status = try await session.status(mailbox, [.messages, .size])
            return (status.values[.messages] ?? 0, status.values[.size] ?? 0)
        }
        let selected = try await session.select(mailbox, readOnly: true)
        guard selected.exists > 0 else { return (0, 0) }
        var messages: UInt64 = 0
        var bytes: UInt64 = 0
        for try await event in session.uidFetch(["1:*"], items: [.rfc822Size]) {
            if case .attribute(.rfc822Size(let size)) = event {
                messages += 1
                bytes += size
            }
        }
        return (messages, bytes)
    }

    static func describeTLS(_ account: Account, encrypted: Bool) -> String {
        guard encrypted else { return "plain text (no TLS)" }
        return switch account.address.security {
        case .implicitTLS: account.tls.insecureSkipVerify ? "TLS (certificate NOT verified)" : "TLS, certificate verified"
        case .startTLS: account.tls.insecureSkipVerify ? "STARTTLS (certificate NOT verified)" : "STARTTLS, certificate verified"
        case .plain: "plain text (no TLS)"
        }
    }
}

/// The version this build reports in manifests, ID and `--version`.
public enum ToolVersion {
    public static let current = "0.1.0"
}
