import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Servers whose personal namespace has a prefix (Courier, Cyrus, some hosts: every folder is
/// `INBOX.Something`) and servers without one exchange mail folder for folder: the source's
/// prefix is taken off, the destination's put on, never `INBOX.INBOX.…` or `INBOX/Archive`.
@Suite("Namespace prefixes between servers")
struct NamespacePrefixTests {
    /// A Dovecot whose one namespace is `INBOX.` with `.`, as Courier serves it.
    static let prefixed = DovecotServer.Configuration(
        users: testUsers(["source", "dest"]), separator: .dot,
        extraConfiguration: ["namespace inbox {", "  prefix = INBOX.", "  separator = .", "}"])
    /// The tricky folders, but not `INBOX/Sub`, which a prefixed namespace cannot tell from `Sub`.
    static let folders = TrickyMailbox.folders.filter { $0.name != "INBOX/Sub" }

    @Test("prefixed source → plain destination: INBOX.Archive.2024 lands as Archive/2024")
    func fromPrefixedServer() async throws {
        try await DovecotServer.withServer(Self.prefixed) { from in
            try await DovecotServer.withServer(.init(users: testUsers(["dest"]))) { to in
                try await withScratch("prefix-from") { scratch in
                    try await TrickyMailbox.seed(from, user: "source", folders: Self.folders, prefix: "INBOX.")
                    let original = try await AccountSnapshot.take(from, user: "source")
                    #expect(original.folders["INBOX/Archive/2024"] != nil, "the source does not use the INBOX. prefix")
                    let crate = scratch.path("crate")
                    _ = try await ExportJob(account: from.account("source"), crate: crate, options: ExportOptions(),
                                            tracker: silentTracker(), logger: quietLogger).run()
                    let summary = try await ImportJob(crate: crate, account: to.account("dest"), options: ImportOptions(sendReport: false),
                                                      stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                    #expect(summary.folders.first { $0.source == "INBOX.Archive.2024" }?.destination == "Archive/2024")
                    let copy = try await AccountSnapshot.take(to, user: "dest")
                    #expect(copy.differences(from: original.removingNamespacePrefix()) == [])
                }
            }
        }
    }

    @Test("plain source → prefixed destination: Archive/2024 lands as INBOX.Archive.2024")
    func toPrefixedServer() async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source"]))) { from in
            try await DovecotServer.withServer(Self.prefixed) { to in
                try await withScratch("prefix-to") { scratch in
                    try await TrickyMailbox.seed(from, user: "source", folders: Self.folders)
                    let original = try await AccountSnapshot.take(from, user: "source")
                    let crate = scratch.path("crate")
                    _ = try await ExportJob(account: from.account("source"), crate: crate, options: ExportOptions(),
                                            tracker: silentTracker(), logger: quietLogger).run()
                    let summary = try await ImportJob(crate: crate, account: to.account("dest"), options: ImportOptions(sendReport: false),
                                                      stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                    #expect(summary.folders.first { $0.source == "Archive/2024" }?.destination == "INBOX.Archive.2024")
                    let copy = try await AccountSnapshot.take(to, user: "dest")
                    #expect(copy.removingNamespacePrefix().differences(from: original) == [])
                }
            }
        }
    }
}
