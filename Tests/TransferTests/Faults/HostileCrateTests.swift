import Crate
import Foundation
import Testing
import TestSupport
@testable import Transfer

/// A tampered crate is refused by import (CrateError, or TransferError `.crateInvalid`: exit
/// 20), by verify and by the reader, without crashing, and nothing outside the crate directory
/// reaches the destination or is changed.
@Suite("Hostile crates")
struct HostileCrateTests {
    /// One way of tampering with a crate, and whether import may send anything before it
    /// notices (a damaged data file is found only when its message's turn comes).
    struct Tampering: CustomTestStringConvertible, Sendable {
        var name: String
        var format: MailFormat = .maildir
        var refusedBeforeAnyAppend = true
        var damage: @Sendable (CrateTamperer) throws -> Void
        var testDescription: String { "\(name) (\(format))" }
    }

    static let tamperings: [Tampering] = [
        Tampering(name: "an index path with ..") { try $0.editRecord(1) { $0["file"] = "../../../outside/secret.eml" } },
        Tampering(name: "an index path into another folder") { try $0.editRecord(1) { $0["file"] = "cur/../../.Work/cur/x" } },
        Tampering(name: "an absolute index path") { crate in try crate.editRecord(1) { $0["file"] = crate.outsidePath } },
        Tampering(name: "a manifest location with ..") { try $0.editFolder("INBOX") { $0["location"] = "../outside" } },
        Tampering(name: "an absolute manifest index path") { try $0.editFolder("INBOX") { $0["indexFile"] = "/etc/passwd" } },
        Tampering(name: "an index that is a symlink out of the crate") { try $0.replaceWithSymlink($0.indexPath("INBOX")) },
        Tampering(name: "a cur/ directory that is a symlink out of the crate") { try $0.replaceWithSymlink($0.crate.appendingPathComponent("maildir/cur"), directory: true) },
        Tampering(name: "a message file that is a symlink out of the crate", refusedBeforeAnyAppend: false) { try $0.replaceWithSymlink($0.messagePath(record: 2)) },
        Tampering(name: "a duplicated index record") { try $0.duplicateRecord(1) },
        Tampering(name: "a size of 10^15 bytes") { try $0.editRecord(1) { $0["size"] = 1_000_000_000_000_000 } },
        Tampering(name: "a size of Int.max", format: .mbox) { try $0.editRecord(1) { $0["size"] = Int.max } },
        Tampering(name: "an mbox span past Int.max", format: .mbox) { try $0.editRecord(1) { $0["mbox"] = ["offset": Int.max, "length": 10] } },
        Tampering(name: "negative folder counts in the manifest") { try $0.editFolder("INBOX") { $0["bytes"] = -5; $0["messageCount"] = -1 } },
        Tampering(name: "absurd folder counts in the manifest") { try $0.editFolder("INBOX") { $0["bytes"] = Int.max } },
        Tampering(name: "a gzip bomb", refusedBeforeAnyAppend: false) { try $0.plantGzipBomb(record: 3) },
    ]

    @Test("import refuses the crate; nothing from outside arrives, nothing outside changes", arguments: tamperings)
    func importRefuses(tampering: Tampering) async throws {
        try await withScratch("hostile-crate") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { source in
                var options = faultExportOptions(RequestedWaits())
                options.format = tampering.format
                _ = try await exportFake(source, to: crate, options: options)
            }
            let tamperer = try CrateTamperer(crate: crate, outside: scratch.path("outside"))
            try tampering.damage(tamperer)
            let outsideBefore = try tamperer.outsideSnapshot()

            try await FakeMailServer.with { destination in
                await #expect {
                    _ = try await importFake(crate, into: destination, state: scratch.path("state"), options: faultImportOptions(RequestedWaits()))
                } throws: { error in
                    (error is CrateError) || (error as? TransferError)?.code == .crateInvalid
                }
                if tampering.refusedBeforeAnyAppend { #expect(destination.count(of: "APPEND") == 0) }
                let received = destination.lock.withLock { destination.mailboxes.flatMap(\.messages) }
                #expect(!received.contains { String(decoding: $0.bytes, as: UTF8.self).contains(CrateTamperer.canary) })
            }
            #expect(try tamperer.outsideSnapshot() == outsideBefore)

            // verify and the reader refuse it too, or report errors; neither crashes.
            if let report = try? CrateVerifier(url: crate).verify() {
                #expect(report.problems.contains { $0.severity == .error }, "\(report.problems)")
            }
            if let reader = try? CrateReader(at: crate) {
                #expect(throws: (any Error).self) { try tamperer.readEverything(reader) }
            }
        }
    }
}
