import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// The crate is readable by ordinary tools: Dovecot pointed at a Maildir crate serves every
/// message as the source did; `gzip -dc` of an mbox folder file is a normal mbox for
/// Python's `mailbox.mbox`.
@Suite("Crates read by Dovecot and by Python's mailbox module")
struct DovecotInteropTests {
    @Test("Dovecot serving a Maildir crate gives the same bytes, flags, keywords and arrival dates",
          arguments: [CompressionSettings.default, .none])
    func dovecotServesMaildirCrate(compression: CompressionSettings) async throws {
        try await withScratch("interop-maildir") { scratch in
            let crate = scratch.path("crate")
            let served = try await DovecotServer.withServer(.init(users: testUsers(["source"]))) { server in
                try await TrickyMailbox.seed(server, user: "source")
                _ = try await ExportJob(account: server.account("source"), crate: crate,
                                        options: ExportOptions(format: .maildir, compression: compression),
                                        tracker: silentTracker(), logger: quietLogger).run()
                return try await servedByFolder(server, user: "source")
            }
            let contents = try CrateContents(crate)
            // As docs/crate-format.md says: the tree, UTF-8 folder names; indexes kept aside.
            let reader = DovecotServer.User(
                name: "reader", password: "reader-password",
                mailLocation: "maildir:\(crate.path)/maildir:UTF-8:INDEX=~/index")
            try await DovecotServer.withServer(.init(users: [reader])) { server in
                let fromCrate = try await servedByFolder(server, user: "reader")
                for (name, messages) in served where !messages.isEmpty {
                    let folder = try #require(contents.manifest.folders.first { $0.pathComponents.joined(separator: "/") == name })
                    let again = fromCrate[name] ?? []
                    #expect(again.count == messages.count, "\(name): Dovecot serves \(again.count) of \(messages.count) messages")
                    #expect(identities(again) == identities(messages), "\(name) (crate folder \(folder.location))")
                }
            }
        }
    }

    @Test("gzip -dc of an mbox folder file is an mbox Python reads back message for message",
          arguments: [CompressionSettings.default, .none])
    func pythonReadsMboxCrate(compression: CompressionSettings) async throws {
        try await withScratch("interop-mbox") { scratch in
            let crate = scratch.path("crate")
            try await DovecotServer.withServer(.init(users: testUsers(["source"]))) { server in
                try await TrickyMailbox.seed(server, user: "source")
                _ = try await ExportJob(account: server.account("source"), crate: crate,
                                        options: ExportOptions(format: .mbox, compression: compression),
                                        tracker: silentTracker(), logger: quietLogger).run()
            }
            let contents = try CrateContents(crate)
            var checked = 0
            for folder in contents.manifest.folders where folder.messageCount > 0 {
                let file = crate.appendingPathComponent(folder.location)
                let plain = compression.kind == .gzip ? try runTool(["gzip", "-dc", file.path]) : try Data(contentsOf: file)
                let parsed = try MboxParse.messages(plain)
                let stored = contents.messages[folder.name] ?? []
                #expect(parsed.count == stored.count, "\(folder.name): Python sees \(parsed.count) messages, the index \(stored.count)")
                for (python, message) in zip(parsed, stored) {
                    #expect(python.bytes == MboxParse.asPythonReadsIt(message.bytes), "\(folder.name) UID \(message.record.uid)")
                    #expect(python.fromLine.hasSuffix(MboxParse.asctime(message.record.internalDateUnix)),
                            "\(folder.name) UID \(message.record.uid): From line \(python.fromLine)")
                    checked += 1
                }
            }
            #expect(checked == TrickyMailbox.messageCount)
        }
    }

    /// Bytes, flags and the arrival instant of each message, in UID-independent order.
    private func identities(_ messages: [ServedMessage]) -> [String] {
        messages.map { "\($0.sha256) \($0.flags) \(Int64($0.internalDate.date.timeIntervalSince1970))" }.sorted()
    }
}
