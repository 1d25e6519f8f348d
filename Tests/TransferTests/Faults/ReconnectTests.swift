import Crate
import Foundation
import IMAPClient
import Testing
import TestSupport
@testable import Transfer

/// A connection that drops (mid-literal, between commands, with BYE) is reopened and the job
/// resumes: the result is the one a fault-free run gives, nothing lost or doubled.
@Suite("Reconnect and resume inside a run")
struct ReconnectTests {
    typealias Fault = FakeMailServer.Fault

    static let sourceMailboxes = [
        FakeMailServer.Mailbox("INBOX", uidValidity: 700, messages: 10),
        FakeMailServer.Mailbox("Work", uidValidity: 701, messages: 5, firstNumber: 100),
    ]

    /// One fault and the command it hits.
    struct Scenario: CustomTestStringConvertible, Sendable {
        var name: String
        var fault: Fault
        var testDescription: String { name }
    }

    static let exportScenarios = [
        Scenario(name: "dropped mid-FETCH literal", fault: Fault(command: "UID FETCH", on: 2, .dropMidLiteral)),
        Scenario(name: "dropped before the FETCH answer", fault: Fault(command: "UID FETCH", on: 1, .drop)),
        Scenario(name: "dropped between commands (EXAMINE)", fault: Fault(command: "EXAMINE", on: 2, .drop)),
        Scenario(name: "dropped between commands (UID SEARCH)", fault: Fault(command: "UID SEARCH", on: 1, .drop)),
        Scenario(name: "BYE mid-FETCH", fault: Fault(command: "UID FETCH", on: 3, .bye("Server shutting down"))),
        Scenario(name: "BYE instead of EXAMINE", fault: Fault(command: "EXAMINE", on: 1, .bye("Idle for too long"))),
    ]

    @Test("export: the run completes with exactly the mailbox's messages", arguments: exportScenarios)
    func exportResumes(scenario: Scenario) async throws {
        try await FakeMailServer.with(mailboxes: Self.sourceMailboxes) { server in
            try await withScratch("fault-export") { scratch in
                server.inject(scenario.fault)
                let waits = RequestedWaits()
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(waits, batchSize: 3))
                #expect(summary.reconnections >= 1)
                #expect(summary.messagesInCrate == 15)
                #expect(summary.messagesFetched == 15)
                #expect(summary.messagesAlreadyPresent == 0)
                #expect(summary.failed.isEmpty)
                #expect(waits.all.count == summary.reconnections)
                #expect(try crateContent(crate) == server.contentByMailbox)
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.isEmpty, "\(report.problems)")
                #expect(server.failures.isEmpty, "\(server.failures)")
            }
        }
    }

    @Test("export into mbox: a drop mid-literal leaves no partial member behind", arguments: [MailFormat.mbox, .maildir])
    func exportMidLiteralEachFormat(format: MailFormat) async throws {
        try await FakeMailServer.with(mailboxes: Self.sourceMailboxes) { server in
            try await withScratch("fault-format") { scratch in
                server.inject(Fault(command: "UID FETCH", on: 1, .dropMidLiteral), Fault(command: "UID FETCH", on: 4, .dropMidLiteral))
                let waits = RequestedWaits()
                var options = faultExportOptions(waits, batchSize: 4)
                options.format = format
                options.commitEveryMessages = 2
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: options)
                #expect(summary.reconnections == 2)
                #expect(try crateContent(crate) == server.contentByMailbox)
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.isEmpty, "\(report.problems)")
            }
        }
    }

    @Test("export: retries start again after progress, so repeated drops between batches do not stop a long run")
    func retriesResetAfterProgress() async throws {
        try await FakeMailServer.with(mailboxes: [FakeMailServer.Mailbox("INBOX", messages: 10)]) { server in
            try await withScratch("fault-progress") { scratch in
                // Batches of 2: every second FETCH is cut, but each attempt stores a batch first.
                server.inject(
                    Fault(command: "UID FETCH", on: 2, .dropMidLiteral), Fault(command: "UID FETCH", on: 4, .dropMidLiteral),
                    Fault(command: "UID FETCH", on: 6, .dropMidLiteral))
                let waits = RequestedWaits()
                let summary = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits, maxRetries: 1, batchSize: 2))
                #expect(summary.reconnections == 3)
                #expect(summary.messagesInCrate == 10)
                #expect(try crateContent(scratch.path("crate")) == server.contentByMailbox)
            }
        }
    }

    @Test("export: a server that drops every FETCH ends the run with .disconnected after maxRetries")
    func exportGivesUp() async throws {
        try await FakeMailServer.with(mailboxes: Self.sourceMailboxes) { server in
            try await withScratch("fault-giveup") { scratch in
                server.inject(.always("UID FETCH", .drop))
                let waits = RequestedWaits()
                let crate = scratch.path("crate")
                await #expect {
                    _ = try await exportFake(server, to: crate, options: faultExportOptions(waits, maxRetries: 3))
                } throws: { error in
                    (error as? IMAPClientError)?.code == .disconnected
                }
                #expect(waits.all.count == 3)
                #expect(server.count(of: "UID FETCH") == 4)
                // What was listed is in the crate (empty, partial), and the crate is sound.
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.allSatisfy { $0.severity != .error }, "\(report.problems)")
            }
        }
    }

    static let importScenarios = [
        Scenario(name: "dropped mid-APPEND literal (nothing stored)", fault: Fault(command: "APPEND", on: 3, .dropMidLiteral)),
        Scenario(name: "dropped after the server stored the APPEND, before its OK", fault: Fault(command: "APPEND", on: 3, .storeThenDrop)),
        Scenario(name: "dropped before the first APPEND answer", fault: Fault(command: "APPEND", on: 1, .drop)),
        Scenario(name: "BYE mid-APPEND", fault: Fault(command: "APPEND", on: 5, .bye("Server shutting down"))),
        Scenario(name: "dropped between commands (SELECT)", fault: Fault(command: "SELECT", on: 2, .drop)),
        Scenario(name: "stored, dropped, and the resume's SELECT dropped too", fault: Fault(command: "APPEND", on: 12, .storeThenDrop)),
    ]

    @Test("import: every message arrives exactly once", arguments: importScenarios)
    func importResumes(scenario: Scenario) async throws {
        try await importResumes(scenario, multiAppend: false)
    }

    /// MULTIAPPEND groups of two: 8 commands carry the 15 messages, so the faults on the
    /// 1st to 5th APPEND hit a group.
    @Test("import with MULTIAPPEND: every message arrives exactly once",
          arguments: importScenarios.filter { $0.fault.occurrences.lowerBound <= 8 })
    func importResumesWithMultiAppend(scenario: Scenario) async throws {
        try await importResumes(scenario, multiAppend: true)
    }

    private func importResumes(_ scenario: Scenario, multiAppend: Bool) async throws {
        try await withScratch("fault-import") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: Self.sourceMailboxes) { source in
                _ = try await exportFake(source, to: crate, options: faultExportOptions(RequestedWaits()))
            }
            try await FakeMailServer.with(extraCapabilities: multiAppend ? ["MULTIAPPEND"] : []) { destination in
                destination.inject(scenario.fault)
                if scenario.name.contains("resume's SELECT") { destination.inject(Fault(command: "SELECT", on: 3, .drop)) }
                let waits = RequestedWaits()
                var options = faultImportOptions(waits, batchSize: 4)
                options.appendGroupSize = 2
                let summary = try await importFake(crate, into: destination, state: scratch.path("state"), options: options)
                #expect(summary.reconnections >= 1)
                #expect(summary.messagesAppended == 15)
                #expect(summary.skipped.isEmpty)
                let expected = try crateContent(crate)
                let arrived = destination.contentByMailbox
                #expect(arrived["INBOX"] == expected["INBOX"])
                #expect(arrived["Work"] == expected["Work"])
                #expect(destination.failures.isEmpty, "\(destination.failures)")

                // A rerun finds everything done and sends nothing.
                let appends = destination.count(of: "APPEND")
                let again = try await importFake(crate, into: destination, state: scratch.path("state"), options: faultImportOptions(waits))
                #expect(again.messagesAppended == 0)
                #expect(destination.count(of: "APPEND") == appends)
            }
        }
    }
}
