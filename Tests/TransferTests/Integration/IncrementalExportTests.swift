import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Rerunning export on a crate fetches only what the source gained since.
@Suite("Incremental export against Dovecot")
struct IncrementalExportTests {
    @Test("after 5 new messages at the source, the second export fetches exactly those 5", arguments: MailFormat.allCases)
    func secondExportFetchesOnlyNewMessages(format: MailFormat) async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source"]))) { server in
            try await withScratch("incremental") { scratch in
                try server.seed(user: "source", folder: "INBOX", count: 10) { SeedMessage.sample(number: $0) }
                try server.seed(user: "source", folder: "Work", count: 3) { SeedMessage.sample(number: 100 + $0, flags: [.seen]) }
                let crate = scratch.path("crate")
                let export = { () async throws -> ExportSummary in
                    try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(format: format),
                                        tracker: silentTracker(), logger: quietLogger).run()
                }
                let first = try await export()
                #expect(first.messagesFetched == 13)

                let added = [
                    SeededFolder(name: "INBOX", messages: [TrickyMailbox.crlf, TrickyMailbox.noFinalNewline], subscribed: false),
                    SeededFolder(name: "Work", messages: [TrickyMailbox.fromLines, TrickyMailbox.eightBit, TrickyMailbox.crlf], subscribed: false),
                ]
                try await server.withSession("source") { session in
                    for folder in added {
                        for message in folder.messages {
                            try await session.append(to: .init(displayName: folder.name), flags: [], internalDate: nil,
                                                     message: .init(bytes: message.bytes))
                        }
                    }
                }
                let second = try await export()
                #expect(second.messagesFetched == 5)
                #expect(second.messagesAlreadyPresent == 13)
                #expect(second.messagesInCrate == 18)

                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.isEmpty, "\(report.problems)")
                let contents = try CrateContents(crate)
                let served = try await servedByFolder(server, user: "source")
                for name in ["INBOX", "Work"] {
                    let expected = (served[name] ?? []).map { "\($0.uid) \($0.sha256)" }.sorted()
                    #expect(contents.identities[name] == expected, "\(name)")
                }
            }
        }
    }

    @Test("after the source changes UIDVALIDITY, export re-matches by content: nothing doubled, nothing lost",
          arguments: MailFormat.allCases)
    func changedUIDValidity(format: MailFormat) async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("uidvalidity") { scratch in
                try server.seed(user: "source", folder: "INBOX", count: 6) { SeedMessage.sample(number: $0, flags: [.seen]) }
                let crate = scratch.path("crate")
                let export = { () async throws -> ExportSummary in
                    try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(format: format),
                                        tracker: silentTracker(), logger: quietLogger).run()
                }
                _ = try await export()
                let before = try #require(try CrateReader(at: crate).folder(named: "INBOX")?.uidValidity)

                // Dovecot forgets the folder's UIDs (as after a server move or a restore) and
                // assigns a new UIDVALIDITY; then two new messages arrive.
                let maildir = server.maildirPath(user: "source")
                for name in try FileManager.default.contentsOfDirectory(atPath: maildir)
                where name == "dovecot-uidlist" || name.hasPrefix("dovecot.index") {
                    try FileManager.default.removeItem(atPath: maildir + "/" + name)
                }
                try server.seed(user: "source", folder: "INBOX", count: 2) { SeedMessage.sample(number: 50 + $0) }
                _ = try await export()

                let reader = try CrateReader(at: crate)
                let inbox = try #require(reader.folder(named: "INBOX"))
                #expect(inbox.uidValidity != before, "the source did not change UIDVALIDITY; the test proves nothing")
                let current = try reader.records(in: inbox, selection: .current)
                #expect(current.count == 8)
                #expect(Set(current.map(\.sha256)).count == 8, "a message is listed twice")
                let stored = try reader.records(in: inbox)
                #expect(Set(stored.map(\.location)).count == 8, "a message's data is stored twice")
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.isValid, "\(report.problems)")

                let imported = try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(sendReport: false),
                                                   stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                #expect(imported.messagesAppended == 8)
                let copy = try await AccountSnapshot.take(server, user: "dest")
                let original = try await AccountSnapshot.take(server, user: "source")
                #expect(copy.differences(from: original) == [])
            }
        }
    }
}
