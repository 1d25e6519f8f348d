import Crate
import Foundation
import TestSupport
import Testing
@testable import Transfer

/// Size does not break anything: a 30 MB message and a 2,000-message folder go through
/// export and import intact. (Memory and speed are measured by the benchmark script.)
@Suite("Large messages and folders against Dovecot")
struct LargeMailboxTests {
    @Test("a 30 MB message and a 2,000-message folder are exported and imported intact")
    func largeMessageAndFolder() async throws {
        try await DovecotServer.withServer(.init(users: testUsers(["source", "dest"]))) { server in
            try await withScratch("large") { scratch in
                let huge = SeedMessage.sample(number: 0, bodySize: 30 << 20, flags: [.seen, .flagged])
                try server.seed(user: "source", folder: "INBOX", messages: [huge])
                try server.seed(user: "source", folder: "Bulk", count: 2_000) { index in
                    SeedMessage.sample(number: index + 1, bodySize: 200 + index % 700, flags: index % 3 == 0 ? [.seen] : [],
                                       internalDate: Date(timeIntervalSince1970: 1_600_000_000 + Double(index) * 3_600))
                }
                let original = try await AccountSnapshot.take(server, user: "source")
                #expect(original.messageCount == 2_001)
                let crate = scratch.path("crate")
                let exported = try await ExportJob(account: server.account("source"), crate: crate, options: ExportOptions(),
                                                   tracker: silentTracker(), logger: quietLogger).run()
                #expect(exported.messagesFetched == 2_001)
                #expect(exported.bytesFetched > 30 << 20)
                let verification = try CrateVerifier(url: crate).verify()
                #expect(verification.problems.isEmpty, "\(verification.problems.prefix(5))")
                #expect(verification.messagesChecked == 2_001)

                let imported = try await ImportJob(crate: crate, account: server.account("dest"), options: ImportOptions(sendReport: false),
                                                   stateDirectory: scratch.path("state"), tracker: silentTracker(), logger: quietLogger).run()
                #expect(imported.messagesAppended == 2_001)
                let copy = try await AccountSnapshot.take(server, user: "dest")
                #expect(copy.differences(from: original) == [])
            }
        }
    }
}
