import Foundation
import Testing
@testable import Transfer

@Suite("Import journal")
struct ImportJournalTests {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("imapcrate-journal-\(UUID().uuidString)/j.jsonl")

    @Test("done survives reopening; an intent without done stays pending; a torn line is cut")
    func durability() async throws {
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let a = ImportJournal.Key(folder: "INBOX", sha256: "aa", occurrence: 0)
        let b = ImportJournal.Key(folder: "INBOX", sha256: "bb", occurrence: 0)
        do {
            let journal = try ImportJournal(url: url)
            journal.recordIntent(a, mailbox: "INBOX", uidValidity: 7, uidNext: 10)
            journal.recordIntent(b, mailbox: "INBOX", uidValidity: 7, uidNext: 10)
            try await journal.sync()
            journal.recordDone(a, uid: 10)
            try await journal.sync()
            journal.recordDone(b, uid: 11)
            // Not synced: lost, as in a crash.
        }
        // A torn half line from a crash mid-write.
        let handle = try FileHandle(forWritingTo: url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"kind\":\"do".utf8))
        try handle.close()

        let reopened = try ImportJournal(url: url)
        #expect(reopened.isDone(a))
        #expect(!reopened.isDone(b))
        #expect(reopened.pending.map(\.key) == [b])
        #expect(reopened.pending.first?.uidNext == 10)
        reopened.recordDone(b, uid: 11)
        try await reopened.sync()
        let again = try ImportJournal(url: url)
        #expect(again.isDone(b))
        #expect(again.pending.isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: url.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("the report is remembered")
    func report() async throws {
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let journal = try ImportJournal(url: url)
        #expect(!journal.reportSent)
        journal.recordReport()
        try await journal.sync()
        #expect(try ImportJournal(url: url).reportSent)
    }

    @Test("syncs from many connections at once: each returns with its own lines on disk")
    func concurrentSyncs() async throws {
        defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
        let journal = try ImportJournal(url: url)
        let keys = (0..<200).map { ImportJournal.Key(folder: "F\($0 % 7)", sha256: "h\($0)", occurrence: 0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for key in keys {
                group.addTask {
                    journal.recordIntent(key, mailbox: key.folder, uidValidity: 1, uidNext: 1)
                    try await journal.sync()
                    journal.recordDone(key, uid: 5)
                    try await journal.sync()
                }
            }
            try await group.waitForAll()
        }
        let reopened = try ImportJournal(url: url)
        #expect(keys.allSatisfy(reopened.isDone))
        #expect(reopened.pending.isEmpty)
    }
}
