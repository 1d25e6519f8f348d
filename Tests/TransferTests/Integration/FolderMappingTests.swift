import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Where crate folders land: special-use automap into the destination's own folders,
/// `--no-automap` keeping names, `--map OLD=NEW` moving a folder and its children.
@Suite("Folder mapping on import against Dovecot")
struct FolderMappingTests {
    static let sentItems = SeededFolder(name: "Sent Items", messages: [TrickyMailbox.crlf, TrickyMailbox.eightBit], subscribed: true)
    static let projects = SeededFolder(name: "Projects", messages: [TrickyMailbox.longLine], subscribed: false)
    static let projectsOld = SeededFolder(name: "Projects/Old", messages: [TrickyMailbox.fromLines], subscribed: false)

    @Test("Sent Items from a server without special-use lands in \\Sent, unless --no-automap; --map moves a subtree")
    func automapAndExplicitMaps() async throws {
        let plan = [Self.sentItems, Self.projects, Self.projectsOld]
        try await DovecotServer.withServer(.init(users: testUsers(["source"]))) { source in
            try await DovecotServer.withServer(.init(users: testUsers(["automap", "names", "mapped"]), specialUseFolders: true)) { destination in
                try await withScratch("automap") { scratch in
                    try await TrickyMailbox.seed(source, user: "source", folders: plan)
                    let crate = scratch.path("crate")
                    _ = try await ExportJob(account: source.account("source"), crate: crate, options: ExportOptions(),
                                            tracker: silentTracker(), logger: quietLogger).run()
                    let sent = try #require(CrateReader(at: crate).folder(named: "Sent Items"))
                    #expect(sent.specialUse == nil, "the source has no SPECIAL-USE: only the name says it is Sent")
                    let original = try await AccountSnapshot.take(source, user: "source")
                    let sentMessages = try #require(original.folders["Sent Items"]).messages

                    func runImport(_ user: String, _ mapper: FolderMapper) async throws -> (ImportSummary, AccountSnapshot) {
                        let summary = try await ImportJob(
                            crate: crate, account: destination.account(user), options: ImportOptions(mapper: mapper, sendReport: false),
                            stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger
                        ).run()
                        return (summary, try await AccountSnapshot.take(destination, user: user))
                    }

                    let (automapped, automappedAccount) = try await runImport("automap", FolderMapper())
                    let sentMapping = try #require(automapped.folders.first { $0.source == "Sent Items" })
                    #expect(sentMapping.destination == "Sent")
                    #expect(sentMapping.reason == "special-use \\Sent")
                    #expect(!sentMapping.created)
                    #expect(automappedAccount.folders["Sent"]?.messages == sentMessages)
                    #expect(automappedAccount.folders["Sent Items"] == nil)
                    #expect(automappedAccount.folders["Projects/Old"]?.messages == original.folders["Projects/Old"]?.messages)

                    let (named, namedAccount) = try await runImport("names", FolderMapper(automap: false))
                    #expect(named.folders.first { $0.source == "Sent Items" }?.destination == "Sent Items")
                    #expect(namedAccount.folders["Sent Items"]?.messages == sentMessages)
                    #expect(namedAccount.folders["Sent Items"]?.subscribed == true)
                    #expect(namedAccount.folders["Sent"]?.messages == [])

                    let maps = [try FolderMapper.parseMap("Projects=Work/Clients"), try FolderMapper.parseMap("Sent Items=Old Sent")]
                    let (_, mappedAccount) = try await runImport("mapped", FolderMapper(explicitMaps: maps))
                    #expect(mappedAccount.folders["Work/Clients"]?.messages == original.folders["Projects"]?.messages)
                    #expect(mappedAccount.folders["Work/Clients/Old"]?.messages == original.folders["Projects/Old"]?.messages)
                    #expect(mappedAccount.folders["Old Sent"]?.messages == sentMessages)
                    #expect(mappedAccount.folders["Projects"] == nil)
                    #expect(mappedAccount.folders["Sent"]?.messages == [])
                }
            }
        }
    }
}
