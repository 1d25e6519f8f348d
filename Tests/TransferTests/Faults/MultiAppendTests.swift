import Foundation
import Testing
@testable import Transfer

/// MULTIAPPEND (RFC 3502): messages travel in groups, and a group the server refuses is sent
/// again one message at a time, so only the message it refuses is skipped.
@Suite("Import with MULTIAPPEND groups")
struct MultiAppendTests {
    static let mailboxes = [
        FakeMailServer.Mailbox("INBOX", uidValidity: 900, messages: 20),
        FakeMailServer.Mailbox("Work", uidValidity: 901, messages: 7, firstNumber: 100),
    ]

    func exported(_ scratch: ScratchDirectory) async throws -> URL {
        let crate = scratch.path("crate")
        try await FakeMailServer.with(mailboxes: Self.mailboxes) { source in
            _ = try await exportFake(source, to: crate, options: faultExportOptions(RequestedWaits()))
        }
        return crate
    }

    @Test("messages go in groups of at most appendGroupSize, in order, with their UIDs journaled")
    func groups() async throws {
        try await withScratch("multiappend-groups") { scratch in
            let crate = try await exported(scratch)
            try await FakeMailServer.with(extraCapabilities: ["MULTIAPPEND"]) { destination in
                var options = faultImportOptions(RequestedWaits(), batchSize: 5)
                options.appendGroupSize = 8
                let summary = try await importFake(crate, into: destination, state: scratch.path("state"), options: options)
                #expect(summary.messagesAppended == 27)
                // INBOX 8 + 8 + 4, Work 7.
                #expect(destination.count(of: "APPEND") == 4)
                let expected = try crateContent(crate)
                #expect(destination.contentByMailbox["INBOX"] == expected["INBOX"])
                #expect(destination.contentByMailbox["Work"] == expected["Work"])
                // The order of the crate is kept: message n is the n-th UID at the destination.
                let subjects = destination.mailbox("INBOX")?.messages.map { String(decoding: $0.bytes, as: UTF8.self) } ?? []
                #expect(subjects.enumerated().allSatisfy { $0.element.contains("Subject: Message number \($0.offset + 1)\r\n") })
                #expect(destination.failures.isEmpty, "\(destination.failures)")

                let again = try await importFake(crate, into: destination, state: scratch.path("state"), options: options)
                #expect(again.messagesAppended == 0)
                #expect(destination.count(of: "APPEND") == 4)
            }
        }
    }

    @Test("a refused group is retried message by message: only the refused message is skipped")
    func refusedGroup() async throws {
        try await withScratch("multiappend-refused") { scratch in
            let crate = try await exported(scratch)
            try await FakeMailServer.with(extraCapabilities: ["MULTIAPPEND"]) { destination in
                destination.lock.withLock { destination.refusedContent = Array("<5@fake.example.org>".utf8) }
                var options = faultImportOptions(RequestedWaits())
                options.appendGroupSize = 8
                let summary = try await importFake(crate, into: destination, state: scratch.path("state"), options: options)
                #expect(summary.messagesAppended == 26)
                #expect(summary.skipped.map(\.uid) == [5])
                #expect(summary.skipped.first?.reason.contains("content not accepted") == true)
                #expect(summary.reconnections == 0)
                // INBOX: group 1 refused, its 8 messages one by one, groups 2 and 3; Work: 1.
                #expect(destination.count(of: "APPEND") == 1 + 8 + 2 + 1)
                var expected = try crateContent(crate)
                let refused = FakeMailServer.sample(number: 5)
                let refusedHash = faultSHA256(refused)
                expected["INBOX"]?.removeAll { $0 == refusedHash }
                #expect(destination.contentByMailbox["INBOX"] == expected["INBOX"])
                #expect(destination.contentByMailbox["Work"] == expected["Work"])
            }
        }
    }

    @Test("without MULTIAPPEND every message is its own APPEND")
    func withoutMultiAppend() async throws {
        try await withScratch("multiappend-none") { scratch in
            let crate = try await exported(scratch)
            try await FakeMailServer.with { destination in
                let summary = try await importFake(crate, into: destination, state: scratch.path("state"),
                                                   options: faultImportOptions(RequestedWaits()))
                #expect(summary.messagesAppended == 27)
                #expect(destination.count(of: "APPEND") == 27)
                #expect(destination.failures.isEmpty, "\(destination.failures)")
            }
        }
    }
}
