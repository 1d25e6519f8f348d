import IMAPClient
import IMAPProtocol
import Testing
import TestSupport

/// CREATE, LIST, SELECT, STATUS and SUBSCRIBE against Dovecot, with names that need modified
/// UTF-7 (RFC 3501 §5.1.3), quoting and escaping.
@Suite("IMAPSession mailboxes against Dovecot")
struct IMAPSessionMailboxTests {
    static let names = ["Entwürfe", "Отправленные", "日本語", "R&D", "a \"quoted\" name", "Projects/2024 Q1"]

    @Test("CREATE then LIST returns each name unchanged, and SELECT, STATUS and SUBSCRIBE work on each")
    func createListSelect() async throws {
        try await DovecotServer.withServer { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)
                for name in Self.names {
                    try await session.create(MailboxName(displayName: name))
                }
                // Creating an existing mailbox is not an error.
                try await session.create(MailboxName(displayName: Self.names[0]))

                let listed = try await session.listAll()
                let displayNames = listed.map(\.mailbox.displayName)
                for name in Self.names {
                    #expect(displayNames.filter { $0 == name }.count == 1, "\(name) in \(displayNames)")
                }
                let wire = listed.first { $0.mailbox.displayName == "R&D" }?.mailbox.bytes
                #expect(wire == Array("R&-D".utf8))
                let german = listed.first { $0.mailbox.displayName == "Entwürfe" }?.mailbox.bytes
                #expect(german == Array("Entw&APw-rfe".utf8))
                // The parent of the nested name exists as a hierarchy level.
                #expect(displayNames.contains("Projects"))
                #expect(listed.allSatisfy { $0.delimiter == "/" })

                for name in Self.names {
                    let mailbox = MailboxName(displayName: name)
                    let selected = try await session.select(mailbox, readOnly: false)
                    #expect(selected.name == mailbox)
                    #expect(selected.exists == 0)
                    #expect(selected.uidValidity != nil)
                    #expect(!selected.readOnly)
                    let status = try await session.status(mailbox, [.messages, .uidNext])
                    #expect(status.mailbox == mailbox)
                    #expect(status.values[.messages] == 0)
                    #expect(status.values[.uidNext] == 1)
                    try await session.subscribe(mailbox)
                }

                let subscribed = try await session.listAll()
                for name in Self.names {
                    let entry = subscribed.first { $0.mailbox.displayName == name }
                    #expect(entry?.hasAttribute("\\Subscribed") == true, "\(name) subscribed")
                }
                #expect(subscribed.first { $0.mailbox.displayName == "Projects" }?.hasAttribute("\\Subscribed") == false)
            }
        }
    }

    @Test("SELECT of a missing mailbox is .commandFailed carrying the server's NO, and the session goes on")
    func selectMissing() async throws {
        try await DovecotServer.withServer { server in
            try await IMAPConnection.withSession(server.plainConfiguration) { session in
                try await session.authenticate(server.aliceCredentials)
                let error = try await clientError {
                    _ = try await session.select(MailboxName(displayName: "Nowhere"), readOnly: true)
                }
                #expect(error.code == .commandFailed)
                #expect(error.response?.status == .no)
                #expect(error.response?.text.contains("doesn't exist") == true, "\(error.message)")
                // The session is still usable after a NO.
                let inbox = try await session.select(.inbox, readOnly: true)
                #expect(inbox.readOnly)
            }
        }
    }
}
