import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Import is idempotent, reports once, and survives a damaged crate message.
@Suite("Import reruns, the completion report and damaged messages against Dovecot")
struct ImportRerunTests {
    @Test("rerunning import adds nothing, and the report arrives once with the right totals")
    func rerunAddsNothing() async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("rerun") { scratch in
                try await TrickyMailbox.seed(server, user: "source")
                let original = try await AccountSnapshot.take(server, user: "source")
                let crate = scratch.path("crate")
                _ = try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(),
                                        tracker: silentTracker(), logger: quietLogger).run()
                let importOnce = {
                    try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(),
                                        stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                }
                let first = try await importOnce()
                #expect(first.messagesAppended == TrickyMailbox.messageCount)
                #expect(first.reportSent)
                let afterFirst = try await AccountSnapshot.take(server, user: "dest")
                #expect(afterFirst.differences(from: original) == [])

                let second = try await importOnce()
                #expect(second.messagesAppended == 0)
                #expect(second.alreadyPresent == TrickyMailbox.messageCount)
                #expect(second.skipped.isEmpty)
                #expect(!second.reportSent)
                #expect(second.folders.filter(\.created).map(\.source) == [])
                let afterSecond = try await AccountSnapshot.take(server, user: "dest")
                #expect(afterSecond.differences(from: original) == [])

                #expect(afterSecond.reports.count == 1)
                let report = try #require(afterSecond.reports.first)
                let total = TrickyMailbox.messageCount
                #expect(CompletionReportText.subject(report) == "imapcrate: \(total) messages imported from source@127.0.0.1")
                let body = CompletionReportText.bodyLines(report)
                #expect(body.contains("Messages imported: \(total) (\(original.folders.values.flatMap(\.messages).reduce(0) { $0 + $1.size }) bytes)"))
                #expect(body.contains("Skipped:           0"))
                for folder in TrickyMailbox.folders {
                    let bytes = original.folders[folder.name]?.messages.reduce(0) { $0 + $1.size } ?? 0
                    #expect(body.contains { $0.hasPrefix("  \(folder.name) -> \(folder.name): \(folder.messages.count) messages, \(bytes) bytes") },
                            "no report line for \(folder.name)")
                }

                // Two new messages at the source, exported into the same crate: the next import
                // sends those two, and its report counts only them.
                try await server.withSession("source") { session in
                    for message in [TrickyMailbox.unseen, TrickyMailbox.longLine] {
                        try await session.append(to: .init(displayName: "Empty"), flags: [], internalDate: nil, message: .init(bytes: message.bytes))
                    }
                }
                _ = try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(),
                                        tracker: silentTracker(), logger: quietLogger).run()
                let third = try await importOnce()
                #expect(third.messagesAppended == 2)
                #expect(third.reportSent)
                let afterThird = try await AccountSnapshot.take(server, user: "dest")
                #expect(afterThird.differences(from: try await AccountSnapshot.take(server, user: "source")) == [])
                #expect(afterThird.reports.count == 2)
                let subjects = afterThird.reports.compactMap(CompletionReportText.subject)
                #expect(subjects.contains("imapcrate: 2 messages imported from source@127.0.0.1"), "\(subjects)")
            }
        }
    }

    @Test("a damaged message is skipped and named; every other message arrives",
          arguments: [(MailFormat.maildir, CompressionSettings.default), (.mbox, .default), (.mbox, .none)])
    func damagedMessageSkipped(format: MailFormat, compression: CompressionSettings) async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("damaged") { scratch in
                try await TrickyMailbox.seed(server, user: "source")
                var expected = try await AccountSnapshot.take(server, user: "source")
                let crate = scratch.path("crate")
                _ = try await ExportJob(account: server.account("source"), crate: crate,
                                        options: ExportOptions(format: format, compression: compression),
                                        tracker: silentTracker(), logger: quietLogger).run()
                let reader = try CrateReader(at: crate)
                let inbox = try #require(reader.folder(named: "INBOX"))
                let victim = try #require(try reader.records(in: inbox).first { $0.messageID == "<8bit@imapcrate.test>" })
                try CrateDamage.flipByte(of: victim, in: inbox, crate: crate)
                #expect(try CrateVerifier(url: crate).verify().errors.map(\.uid) == [victim.uid])

                let summary = try await ImportJob(
                    crate: crate, account: server.account("dest"), options: ImportOptions(),
                    stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger
                ).run()
                #expect(summary.skipped.map(\.folder) == ["INBOX"])
                #expect(summary.skipped.map(\.uid) == [victim.uid])
                #expect(summary.skipped.first?.reason.contains("damaged") == true, "\(summary.skipped)")
                #expect(summary.messagesAppended == TrickyMailbox.messageCount - 1)

                let inboxMessages = try #require(expected.folders["INBOX"]).messages
                expected.folders["INBOX"]?.messages = inboxMessages.filter { $0.sha256 != victim.sha256 }
                let copy = try await AccountSnapshot.take(server, user: "dest")
                #expect(copy.differences(from: expected) == [])
                let report = try #require(copy.reports.first)
                #expect(CompletionReportText.subject(report)?.hasSuffix(", 1 skipped") == true)
                #expect(CompletionReportText.bodyLines(report).contains { $0.hasPrefix("  INBOX UID \(victim.uid) ") })
            }
        }
    }
}
