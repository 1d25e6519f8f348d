import Crate
import Foundation
import IMAPClient
import Testing
import TestSupport
@testable import Transfer

/// Throttling answers make the job wait (at least as long as the server asks) and go on; the
/// waits are checked as requested from the injected sleep, never by timing the test.
@Suite("Throttling")
struct ThrottlingTests {
    typealias Fault = FakeMailServer.Fault

    /// A throttling answer and the shortest wait it must cause.
    struct Signal: CustomTestStringConvertible, Sendable {
        var answer: String
        var minimumWait: Duration
        var testDescription: String { answer }
    }

    static let signals = [
        Signal(answer: "NO [UNAVAILABLE] Server busy, try again later", minimumWait: .milliseconds(10)),
        Signal(answer: "NO [LIMIT] Too many commands in a row", minimumWait: .milliseconds(10)),
        Signal(answer: "NO [INUSE] Mailbox is locked by another session", minimumWait: .milliseconds(10)),
        Signal(answer: "NO [UNAVAILABLE] Server Unavailable. 15 Suggested Backoff Time: 2000 milliseconds",
               minimumWait: .milliseconds(2000)),
        Signal(answer: "NO Account exceeded command or bandwidth limits. (Failure)", minimumWait: .milliseconds(10)),
    ]

    @Test("export: a throttled FETCH is waited out and the run completes", arguments: signals)
    func exportThrottled(signal: Signal) async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("throttle-export") { scratch in
                server.inject(Fault(command: "UID FETCH", on: 2, .answer(signal.answer)))
                let waits = RequestedWaits()
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(waits, batchSize: 4))
                #expect(waits.all.count == 1)
                #expect(waits.all.allSatisfy { $0 >= signal.minimumWait }, "\(waits.all)")
                #expect(summary.failed.isEmpty, "a throttled FETCH is not a failed message")
                #expect(summary.messagesInCrate == 15)
                #expect(try crateContent(crate) == server.contentByMailbox)
            }
        }
    }

    @Test("import: a throttled APPEND is waited out; every message arrives once", arguments: signals)
    func importThrottled(signal: Signal) async throws {
        try await withScratch("throttle-import") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { source in
                _ = try await exportFake(source, to: crate, options: faultExportOptions(RequestedWaits()))
            }
            try await FakeMailServer.with { destination in
                destination.inject(Fault(command: "APPEND", on: 2, .answer(signal.answer)))
                let waits = RequestedWaits()
                let summary = try await importFake(crate, into: destination, state: scratch.path("state"),
                                                   options: faultImportOptions(waits))
                #expect(waits.all.count == 1)
                #expect(waits.all.allSatisfy { $0 >= signal.minimumWait }, "\(waits.all)")
                #expect(summary.skipped.isEmpty, "a throttled APPEND is not a refused message")
                let expected = try crateContent(crate)
                #expect(destination.contentByMailbox["INBOX"] == expected["INBOX"])
                #expect(destination.contentByMailbox["Work"] == expected["Work"])
            }
        }
    }

    @Test("a BYE that says why (throttling) is waited out like a NO")
    func throttlingBye() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("throttle-bye") { scratch in
                server.inject(Fault(command: "UID FETCH", on: 1,
                                    .bye("[UNAVAILABLE] Server Unavailable. Suggested Backoff Time: 5000 milliseconds")))
                let waits = RequestedWaits()
                let summary = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits))
                #expect(waits.all == [.milliseconds(5000)])
                #expect(summary.reconnections == 1)
                #expect(summary.messagesInCrate == 15)
            }
        }
    }

    @Test("a server that keeps throttling ends the run after maxRetries with its answer")
    func throttledForever() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("throttle-forever") { scratch in
                server.inject(.always("UID FETCH", .answer("NO [LIMIT] Daily quota exceeded")))
                let waits = RequestedWaits()
                await #expect {
                    // A generous read timeout: on a loaded machine a starved fake server must not
                    // add a timeout retry of its own to the count.
                    _ = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits, maxRetries: 2),
                                             readTimeout: .seconds(90))
                } throws: { error in
                    (error as? IMAPClientError)?.response?.text.contains("Daily quota") == true
                }
                #expect(waits.all.count == 2)
            }
        }
    }

    @Test("the rate limits ask for the waits that keep a whole export under them")
    func exportRateLimited() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("rate-export") { scratch in
                let waits = RequestedWaits()
                let clock = ContinuousClock()
                let started = clock.now
                var options = faultExportOptions(RequestedWaits())
                // Slow enough that no test machine outruns it: the sleeps are recorded, not slept.
                options.rateLimiter = RateLimiter(messagesPerSecond: 0.01, sleep: waits.sleep)
                _ = try await exportFake(server, to: scratch.path("crate"), options: options)
                let elapsed = clock.now - started
                // 15 messages at one per 100 s: the last wait ends 1,500 s after the start.
                #expect(waits.all.count == 15)
                let last = try #require(waits.all.last)
                #expect(last <= .seconds(1500) && last >= .seconds(1500) - elapsed, "\(waits.all)")
                #expect(waits.all.first.map { $0 <= .seconds(100) && $0 >= .seconds(100) - elapsed } == true)
            }
        }
    }

    @Test("the byte rate limit paces an import by the bytes it sends")
    func importRateLimited() async throws {
        try await withScratch("rate-import") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { source in
                _ = try await exportFake(source, to: crate, options: faultExportOptions(RequestedWaits()))
            }
            let total = try CrateReader(at: crate).manifest.totals.bytes
            try await FakeMailServer.with { destination in
                let waits = RequestedWaits()
                let clock = ContinuousClock()
                let started = clock.now
                var options = faultImportOptions(RequestedWaits())
                options.rateLimiter = RateLimiter(bytesPerSecond: 100, sleep: waits.sleep)
                _ = try await importFake(crate, into: destination, state: scratch.path("state"), options: options)
                let elapsed = clock.now - started
                #expect(waits.all.count == 15)
                let target = Duration.milliseconds(total * 10)
                let last = try #require(waits.all.last)
                #expect(last <= target && last >= target - elapsed, "\(waits.all) for \(total) bytes")
            }
        }
    }
}
