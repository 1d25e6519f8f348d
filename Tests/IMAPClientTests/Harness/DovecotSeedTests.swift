import Foundation
import Testing
@testable import TestSupport

@Suite("DovecotServer seeding and mail locations")
struct DovecotSeedTests {
    @Test("seeded messages and folders are what Dovecot reports through STATUS, LIST and FETCH")
    func seedThenStatus() async throws {
        try await DovecotServer.withServer { server in
            let exact = SeedMessage("Subject: exact\r\nMessage-ID: <exact@test>\r\n\r\nBody line.\r\n",
                                    flags: [.seen, .flagged],
                                    internalDate: Date(timeIntervalSince1970: 1_592_222_400))  // 2020-06-15 12:00 UTC
            try server.seed(user: "alice", folder: "INBOX", messages: [
                exact, .sample(number: 2), .sample(number: 3, bodySize: 5000, flags: [.answered]),
            ])
            try server.seed(user: "alice", folder: "Projects/2024", count: 2) { .sample(number: 10 + $0) }
            try server.seed(user: "alice", folder: "Empty", messages: [])
            try server.subscribe(user: "alice", folders: ["Projects/2024"])

            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                _ = try await client.readLine()
                #expect(try await client.command("LOGIN alice alice-password").isOK)
                let inbox = try await client.command("STATUS INBOX (MESSAGES UNSEEN)")
                #expect(inbox.untagged == ["* STATUS INBOX (MESSAGES 3 UNSEEN 2)"])
                let projects = try await client.command("STATUS \"Projects/2024\" (MESSAGES)")
                #expect(projects.untagged == ["* STATUS Projects/2024 (MESSAGES 2)"])
                let empty = try await client.command("STATUS Empty (MESSAGES)")
                #expect(empty.untagged == ["* STATUS Empty (MESSAGES 0)"])
                let subscribed = try await client.command("LSUB \"\" \"*\"")
                #expect(subscribed.untagged.contains { $0.hasSuffix("\"/\" Projects/2024") })

                #expect(try await client.command("SELECT INBOX").isOK)
                let fetch = try await client.command("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])")
                let response = try #require(fetch.untagged.first)
                #expect(response.contains("\\Seen"))
                #expect(response.contains("\\Flagged"))
                #expect(response.contains("15-Jun-2020"))
                #expect(response.contains("RFC822.SIZE \(exact.bytes.count)"))
                #expect(response.contains("{\(exact.bytes.count)}\r\n" + String(decoding: exact.bytes, as: UTF8.self)))

                // Messages seeded while Dovecot has the folder open show up at the next sync.
                try server.seed(user: "alice", folder: "INBOX", messages: [.sample(number: 4)])
                let noop = try await client.command("NOOP")
                #expect(noop.untagged.contains("* 4 EXISTS"))
            }
        }
    }

    @Test("with the '.' separator a dotted folder is a hierarchy; names Maildir++ cannot hold are refused")
    func separators() async throws {
        try await DovecotServer.withServer(.init(separator: .dot)) { server in
            try server.seed(user: "alice", folder: "Work.Clients", messages: [.sample(number: 1)])
            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                _ = try await client.readLine()
                _ = try await client.command("LOGIN alice alice-password")
                let status = try await client.command("STATUS Work.Clients (MESSAGES)")
                #expect(status.untagged == ["* STATUS Work.Clients (MESSAGES 1)"])
            }
            #expect(throws: TestSupportError.self) { try server.seed(user: "alice", folder: "a/b", messages: []) }
            #expect(throws: TestSupportError.self) { try server.seed(user: "bob", folder: "INBOX", messages: []) }
        }
        try await DovecotServer.withServer { server in
            #expect(throws: TestSupportError.self) { try server.seed(user: "alice", folder: "v1.2", messages: []) }
            #expect(throws: TestSupportError.self) { try server.seed(user: "alice", folder: "Caf\u{E9}", messages: []) }
        }
    }

    @Test("a user's mail location can point at an existing tree with gzip files; indexes stay outside it")
    func mailLocationOverride() async throws {
        let tree = NSTemporaryDirectory() + "imapcrate-harness-tree-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: tree) }
        let message = "From: a@example.com\r\nSubject: compressed\r\n\r\nStored with gzip.\r\n"
        for folder in ["cur", "new", "tmp", ".Sub/cur", ".Sub/new", ".Sub/tmp"] {
            try FileManager.default.createDirectory(atPath: "\(tree)/maildir/\(folder)", withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        }
        let plainFile = "\(tree)/maildir/cur/1700000000.M1P1.crate,S=\(message.utf8.count):2,S"
        try Data(message.utf8).write(to: URL(fileURLWithPath: plainFile))
        let gzip = try #require(ExecutableLookup.find("gzip"))
        let gzipped = try await ChildProcess.run(gzip, ["-n", plainFile], scratchDirectory: tree)
        #expect(gzipped.status == 0, "\(gzipped.stderr)")
        try FileManager.default.moveItem(atPath: plainFile + ".gz", toPath: plainFile)
        try Data(message.utf8).write(to: URL(fileURLWithPath: "\(tree)/maildir/.Sub/cur/1700000001.M2P1.crate,S=\(message.utf8.count):2,"))
        chmod(tree, 0o700)

        let user = DovecotServer.User(name: "crate", password: "crate-pw",
                                      mailLocation: DovecotServer.User.maildirLocation("\(tree)/maildir"))
        try await DovecotServer.withServer(.init(users: [.alice, user])) { server in
            #expect(server.maildirPath(user: "crate") == "\(tree)/maildir")
            try await IMAPLineClient.withConnection(port: server.plainPort) { client in
                _ = try await client.readLine()
                #expect(try await client.command("LOGIN crate crate-pw").isOK)
                let sub = try await client.command("STATUS Sub (MESSAGES)")
                #expect(sub.untagged == ["* STATUS Sub (MESSAGES 1)"])
                #expect(try await client.command("EXAMINE INBOX").isOK)
                let fetch = try await client.command("FETCH 1 BODY.PEEK[]")
                #expect(fetch.untagged.first?.contains("{\(message.utf8.count)}\r\n" + message) == true)
                #expect(try await client.command("LOGOUT").isOK)
            }
        }
        let written = FileManager.default.enumerator(atPath: tree)?.compactMap { $0 as? String } ?? []
        #expect(!written.contains { $0.contains("dovecot") })
    }
}
