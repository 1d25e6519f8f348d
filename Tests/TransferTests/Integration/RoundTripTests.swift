import Crate
import Foundation
import IMAPClient
import IMAPProtocol
import TestSupport
import Testing
@testable import Transfer

/// DESIGN.md's promise, end to end against real Dovecot: export then import gives the same
/// account — every folder (empty ones and parents too), message bytes, flags, keywords,
/// INTERNALDATE and subscriptions — and export changes nothing at the source.
@Suite("Round trip through a crate against Dovecot")
struct RoundTripTests {
    @Test("export → verify → import reproduces the account exactly", arguments: [MailFormat.maildir, .mbox], [CompressionSettings.default, .none])
    func roundTrip(format: MailFormat, compression: CompressionSettings) async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("roundtrip") { scratch in
                try await TrickyMailbox.seed(server, user: "source")
                let before = try await AccountSnapshot.take(server, user: "source")
                let served = try await servedByFolder(server, user: "source")
                let crate = scratch.path("crate")

                let exported = try await ExportJob(
                    account: server.account("source"), crate: crate,
                    options: ExportOptions(format: format, compression: compression),
                    tracker: silentTracker(), logger: quietLogger
                ).run()
                #expect(exported.messagesFetched == TrickyMailbox.messageCount)
                #expect(exported.failed.isEmpty)

                let verification = try CrateVerifier(url: crate).verify()
                #expect(verification.problems.isEmpty, "\(verification.problems)")
                #expect(verification.messagesChecked == TrickyMailbox.messageCount)
                try checkCrate(crate, served: served, format: format, compression: compression)

                let after = try await AccountSnapshot.take(server, user: "source")
                #expect(after.differences(from: before) == [], "export changed the source")

                let imported = try await ImportJob(
                    crate: crate, account: server.account("dest"), options: ImportOptions(),
                    stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger
                ).run()
                #expect(imported.messagesAppended == TrickyMailbox.messageCount)
                #expect(imported.skipped.isEmpty)
                #expect(imported.droppedKeywords.isEmpty)
                let copy = try await AccountSnapshot.take(server, user: "dest")
                #expect(copy.differences(from: before) == [])
                #expect(copy.reports.count == 1)
                #expect(privateModes(crate) == [], "crate files must be 0600 and directories 0700")
                #expect(privateModes(scratch.path("state")) == [], "state files must be 0600 and directories 0700")
            }
        }
    }

    @Test("import translates the hierarchy between a / server and a . server, both ways",
          arguments: [(DovecotServer.Separator.slash, DovecotServer.Separator.dot), (.dot, .slash)])
    func separatorTranslation(source: DovecotServer.Separator, destination: DovecotServer.Separator) async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source"]), separator: source)) { from in
            try await DovecotServer.withServer(.init(users: testUsers(["dest"]), separator: destination)) { to in
                try await withScratch("separator") { scratch in
                    try await TrickyMailbox.seed(from, user: "source")
                    let original = try await AccountSnapshot.take(from, user: "source")
                    let crate = scratch.path("crate")
                    _ = try await ExportJob(account: from.account("source"), crate: crate, options: ExportOptions(),
                                            tracker: silentTracker(), logger: quietLogger).run()
                    let manifest = try CrateReader(at: crate).manifest
                    #expect(manifest.source.separator == source.rawValue)
                    #expect(manifest.folder(named: "Archive\(source.rawValue)2024")?.pathComponents == ["Archive", "2024"])

                    let summary = try await ImportJob(
                        crate: crate, account: to.account("dest"), options: ImportOptions(sendReport: false),
                        stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger
                    ).run()
                    let archive = summary.folders.first { $0.source == "Archive\(source.rawValue)2024" }
                    #expect(archive?.destination == "Archive\(destination.rawValue)2024")
                    #expect(summary.folders.flatMap(\.notes) == [])
                    let copy = try await AccountSnapshot.take(to, user: "dest")
                    #expect(copy.differences(from: original) == [])
                    // The names really are the destination's: LIST shows them with its separator.
                    let names = try await to.withSession("dest") { session in
                        try await session.listAll().map(\.mailbox.displayName)
                    }
                    #expect(names.contains("Parent\(destination.rawValue)Child"))
                }
            }
        }
    }

    /// Checks every crate record against what the source served for that UID: bytes, flags
    /// and keywords, INTERNALDATE text; and the folder entries against the seeded folders.
    private func checkCrate(_ crate: URL, served: [String: [ServedMessage]], format: MailFormat, compression: CompressionSettings) throws {
        let contents = try CrateContents(crate)
        let manifest = contents.manifest
        #expect(manifest.state == .complete)
        #expect(manifest.mailFormat == format)
        let byPath = Dictionary(manifest.folders.map { ($0.pathComponents.joined(separator: "/"), $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byPath.count == TrickyMailbox.folders.count + 1, "the seeded folders plus the implicit parent \"Parent\"")
        let parent = try #require(byPath["Parent"])
        #expect(!parent.selectable)
        #expect(parent.messageCount == 0)

        for seeded in TrickyMailbox.folders {
            let folder = try #require(byPath[seeded.name], "\(seeded.name) is missing from the manifest")
            #expect(folder.selectable)
            #expect(folder.subscribed == seeded.subscribed, "\(seeded.name) subscription")
            #expect(folder.messageCount == seeded.messages.count, "\(seeded.name) count")
            #expect(folder.compression == compression.kind)
            let source = Dictionary(uniqueKeysWithValues: (served[seeded.name] ?? []).map { ($0.uid, $0) })
            let stored = contents.messages[folder.name] ?? []
            #expect(Set(stored.map(\.record.uid)) == Set(source.keys), "\(seeded.name) UIDs")
            for message in stored {
                let original = try #require(source[message.record.uid])
                #expect(message.bytes == original.bytes, "\(seeded.name) UID \(message.record.uid) bytes")
                #expect(message.record.sha256 == original.sha256)
                #expect(message.record.flags.sorted() == original.flags, "\(seeded.name) UID \(message.record.uid) flags")
                #expect(message.record.internalDate == original.internalDate.imapString)
                #expect(message.record.internalDateUnix == Int64(original.internalDate.date.timeIntervalSince1970))
            }
            // What was APPENDed is what the crate holds (Dovecot serves bare LF as CRLF).
            #expect(stored.map(\.bytes).multisetSubtracting(seeded.messages.map { withCRLF($0.bytes) }) == [],
                    "\(seeded.name): the crate holds bytes that were never appended")
        }
        let keywords = contents.messages["INBOX"]?.flatMap(\.record.flags) ?? []
        for flag in ["\\Seen", "\\Flagged", "\\Answered", "\\Draft", "\\Deleted", "$Forwarded", "Project1"] {
            #expect(keywords.contains(flag), "no INBOX message recorded \(flag)")
        }
    }
}

/// Every selectable folder's messages as `user` sees them, by name with `/` separators.
func servedByFolder(_ server: DovecotServer, user: String) async throws -> [String: [ServedMessage]] {
    try await server.withSession(user) { session in
        var result: [String: [ServedMessage]] = [:]
        for entry in try await session.listAll() where !entry.hasAttribute("\\Noselect") && !entry.hasAttribute("\\NonExistent") {
            let name = entry.mailbox.isInbox ? "INBOX" : entry.mailbox.displayName
            let key = entry.delimiter.map { name.split(separator: $0, omittingEmptySubsequences: false).joined(separator: "/") } ?? name
            result[key] = try await session.servedMessages(in: entry.mailbox)
        }
        return result
    }
}

/// `bytes` with every bare LF made CRLF, as Dovecot serves a message stored with LF endings.
func withCRLF(_ bytes: [UInt8]) -> [UInt8] {
    var result: [UInt8] = []
    result.reserveCapacity(bytes.count + bytes.count / 20)
    var previous: UInt8 = 0
    for byte in bytes {
        if byte == 0x0A && previous != 0x0D { result.append(0x0D) }
        result.append(byte)
        previous = byte
    }
    return result
}

/// Entries below `root` that are not private: files not 0600, directories not 0700 (lock
/// files included: nothing in a crate or state directory is for other users).
func privateModes(_ root: URL) -> [String] {
    treeEntries(root).compactMap { entry in
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: root.appendingPathComponent(entry).path),
              let mode = attributes[.posixPermissions] as? Int else { return "\(entry): unreadable" }
        let expected = attributes[.type] as? FileAttributeType == .typeDirectory ? 0o700 : 0o600
        return mode == expected ? nil : "\(entry): \(String(mode, radix: 8))"
    }
}
