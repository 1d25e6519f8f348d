import Foundation
import IMAPClient
import Testing
import TestSupport
@testable import Transfer

/// A server that goes silent runs into the read timeout (1 s here): the command ends, the job
/// reconnects, and a server that never answers ends the job with a clear error. On a loaded
/// test machine a 1 s timeout can also fire where the server is merely slow; the retry budget
/// absorbs that, so the tests count at least one reconnection, not exactly one.
@Suite("Stalled servers")
struct StalledServerTests {
    typealias Fault = FakeMailServer.Fault

    @Test("export: a FETCH that stalls before its answer or mid-literal is retried and the run completes",
          arguments: [FakeMailServer.FaultAction.stall, .stallMidLiteral].map(StallCase.init))
    func exportStallRetried(stall: StallCase) async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("stall-export") { scratch in
                server.inject(Fault(command: "UID FETCH", on: 1, stall.action))
                let waits = RequestedWaits()
                let crate = scratch.path("crate")
                // Long enough that a slow answer on a loaded machine is not taken for the stall.
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(waits, maxRetries: 10),
                                                   readTimeout: .seconds(5))
                #expect(summary.reconnections >= 1)
                #expect(summary.messagesInCrate == 15)
                #expect(try crateContent(crate) == server.contentByMailbox)
            }
        }
    }

    @Test("export: a server that always stalls ends with .timeout after maxRetries")
    func exportAlwaysStalls() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("stall-forever") { scratch in
                server.inject(.always("UID FETCH", .stall))
                let waits = RequestedWaits()
                await #expect {
                    _ = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits, maxRetries: 2),
                                             readTimeout: .seconds(1))
                } throws: { error in
                    guard let error = error as? IMAPClientError, error.code == .timeout else { return false }
                    return error.message.contains("sent nothing for 1 s")
                }
                // The FETCH loop retries twice; on a loaded machine the listing phase, which has
                // its own budget, may also time out once or twice. Bounded either way.
                #expect((2...4).contains(waits.all.count), "\(waits.all)")
                #expect(server.count(of: "UID FETCH") <= 3)
            }
        }
    }

    @Test("export: a server that greets and then says nothing at LOGIN ends with .timeout")
    func stalledLogin() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("stall-login") { scratch in
                server.inject(.always("LOGIN", .stall))
                let waits = RequestedWaits()
                await #expect {
                    _ = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits, maxRetries: 1),
                                             readTimeout: .seconds(1))
                } throws: { error in
                    (error as? IMAPClientError)?.code == .timeout
                }
            }
        }
    }

    @Test("import: an APPEND left unanswered is retried; every message arrives once")
    func importStallRetried() async throws {
        try await withScratch("stall-import") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { source in
                _ = try await exportFake(source, to: crate, options: faultExportOptions(RequestedWaits()))
            }
            try await FakeMailServer.with { destination in
                destination.inject(Fault(command: "APPEND", on: 2, .stall))
                let waits = RequestedWaits()
                let job = ImportJob(crate: crate, account: destination.account(readTimeout: .seconds(5)),
                                    options: faultImportOptions(waits, maxRetries: 10), stateDirectory: scratch.path("state"),
                                    tracker: silentTracker(), logger: quietLogger)
                let summary = try await job.run()
                #expect(summary.reconnections >= 1)
                let expected = try crateContent(crate)
                #expect(destination.contentByMailbox["INBOX"] == expected["INBOX"])
                #expect(destination.contentByMailbox["Work"] == expected["Work"])
            }
        }
    }

    /// A stall, named for the test report.
    struct StallCase: CustomTestStringConvertible, Sendable {
        var action: FakeMailServer.FaultAction
        var testDescription: String {
            if case .stall = action { return "silent before the answer" }
            return "silent in the middle of a message body"
        }
    }
}
