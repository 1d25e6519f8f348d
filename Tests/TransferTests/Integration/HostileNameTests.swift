import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Folder names from a server never escape the crate directory or collide inside it.
@Suite("Hostile folder names")
struct HostileNameTests {
    @Test("`../../x`, `a/../../b`, `..`, absolute and control-character names stay inside the crate")
    func scriptedServerNames() async throws {
        try await ScriptedIMAPServer.withServer(script: HostileFolderServer.script(), options: .init(closeAfterScript: false)) { server in
            try await withScratch("hostile") { scratch in
                let crate = scratch.url.appendingPathComponent("a/b/c/crate")
                let account = Account(
                    address: AccountAddress(user: "alice", host: server.host, port: server.port, security: .plain),
                    credentials: .password(username: "alice", password: "secret"), allowPlaintext: true)
                var options = ExportOptions()
                options.connections = 1
                let summary = try await ExportJob(account: account, crate: crate, options: options,
                                                  tracker: silentTracker(), logger: quietLogger).run()
                #expect(summary.failed.isEmpty)
                try checkContained(crate, in: scratch, depth: ["a", "a/b", "a/b/c"])
                #expect(!FileManager.default.fileExists(atPath: "/tmp/imapcrate-escape"))

                let contents = try CrateContents(crate)
                for name in HostileFolderServer.names {
                    let stored = try #require(contents.messages[name], "folder \(name.debugDescription) is missing from the crate")
                    #expect(stored.map(\.bytes) == [HostileFolderServer.message(in: name)], "\(name.debugDescription)")
                }
            }
        }
    }

    @Test("names the destination refuses are imported under predictable safe names, each change noted")
    func refusedNamesRenamed() async throws {
        try await withScratch("hostile-import") { scratch in
            let crate = scratch.path("crate")
            try await ScriptedIMAPServer.withServer(script: HostileFolderServer.script(), options: .init(closeAfterScript: false)) { server in
                let account = Account(
                    address: AccountAddress(user: "alice", host: server.host, port: server.port, security: .plain),
                    credentials: .password(username: "alice", password: "secret"), allowPlaintext: true)
                var options = ExportOptions()
                options.connections = 1
                _ = try await ExportJob(account: account, crate: crate, options: options, tracker: silentTracker(), logger: quietLogger).run()
            }
            try await DovecotServer.withServer(.init(users: testUsers(["dest"]))) { server in
                let summary = try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(sendReport: false),
                                                  stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                // Too long even repaired: its message is skipped and named, the import goes on.
                #expect(summary.skipped.map(\.folder) == [HostileFolderServer.deepLong], "\(summary.skipped)")
                #expect(summary.skipped.first?.reason.contains("refused to create the folder") == true)
                #expect(summary.messagesAppended == HostileFolderServer.names.count - 1)
                let mapped = Dictionary(summary.folders.map { ($0.source, $0) }, uniquingKeysWith: { a, _ in a })
                let expected = [
                    "../../x": "__/__/x", "a/../../b": "a/__/__/b", "..": "__", ".": "_", "/tmp/imapcrate-escape": "_/tmp/imapcrate-escape",
                    "x/..": "x/__", "a//b": "a/_/b", "ctl\u{1}name": "ctl_name",
                    "back\\slash": "back\\slash", "Foo": "Foo", "foo": "foo", "INBOX": "INBOX",
                ]
                for (source, destination) in expected {
                    #expect(mapped[source]?.destination == destination, "\(source.debugDescription) → \(String(describing: mapped[source]?.destination))")
                    if source != destination {
                        #expect(mapped[source]?.notes.isEmpty == false, "the rename of \(source.debugDescription) is not reported")
                    }
                }
                let long = try #require(mapped[String(repeating: "n", count: 300)])
                #expect(long.destination.count < 300 && !long.notes.isEmpty)

                // A rerun lands in the same repaired folders: nothing new, nothing created.
                let again = try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(sendReport: false),
                                                stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                #expect(again.messagesAppended == 0)
                #expect(again.folders.filter(\.created).map(\.source) == [])
                #expect(again.folders.map(\.destination) == summary.folders.map(\.destination))

                let account = try await AccountSnapshot.take(server, user: "dest")
                for name in HostileFolderServer.names where name != HostileFolderServer.deepLong {
                    let destination = try #require(mapped[name]?.destination)
                    let messages = account.folders[destination]?.messages ?? []
                    #expect(messages.map(\.sha256) == [sha256Hex(HostileFolderServer.message(in: name))], "\(name.debugDescription) in \(destination)")
                }
            }
        }
    }

    @Test("names Dovecot accepts (case twins, backslash, wildcards) export apart and import back")
    func dovecotNames() async throws {
        let names = ["Foo", "foo", "a\\b", "%", "*", "Straße", "STRASSE"]
        let plan = names.map { SeededFolder(name: $0, messages: [AppendedMessage("Subject: \($0)\r\n\r\nin \($0)\r\n", date: "01-Feb-2022 10:00:00 +0100")], subscribed: false) }
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("hostile-dovecot") { scratch in
                try await TrickyMailbox.seed(server, user: "source", folders: plan)
                let original = try await AccountSnapshot.take(server, user: "source")
                let crate = scratch.url.appendingPathComponent("a/b/c/crate")
                _ = try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(),
                                        tracker: silentTracker(), logger: quietLogger).run()
                try checkContained(crate, in: scratch, depth: ["a", "a/b", "a/b/c"])
                let manifest = try CrateReader(at: crate).manifest
                #expect(Set(manifest.folders.map(\.location)).count == manifest.folders.count, "two folders share a location")
                #expect(try CrateVerifier(url: crate).verify().problems.isEmpty)

                _ = try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(sendReport: false),
                                        stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                let copy = try await AccountSnapshot.take(server, user: "dest")
                #expect(copy.differences(from: original) == [])
            }
        }
    }

    /// Everything the export wrote is below `crate`: the scratch directory holds only the
    /// crate's ancestors besides it, no entry of the crate is a symbolic link, and every
    /// manifest location resolves inside it.
    private func checkContained(_ crate: URL, in scratch: ScratchDirectory, depth ancestors: [String]) throws {
        let crateRelative = ancestors.last.map { "\($0)/crate" } ?? "crate"
        let outside = treeEntries(scratch.url).filter { $0 != crateRelative && !$0.hasPrefix(crateRelative + "/") }
        #expect(outside == ancestors, "files written outside the crate: \(outside)")
        for entry in treeEntries(crate) {
            let attributes = try FileManager.default.attributesOfItem(atPath: crate.appendingPathComponent(entry).path)
            #expect(attributes[.type] as? FileAttributeType != .typeSymbolicLink, "\(entry) is a symbolic link")
        }
        let root = crate.standardizedFileURL.path + "/"
        for folder in try CrateReader(at: crate).folders {
            for relative in [folder.location, folder.indexFile] {
                let resolved = crate.appendingPathComponent(relative).standardizedFileURL.path
                #expect(resolved.hasPrefix(root), "\(folder.name.debugDescription) → \(relative)")
            }
        }
    }
}
