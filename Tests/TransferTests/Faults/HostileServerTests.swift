import Crate
import Foundation
import IMAPClient
import Testing
import TestSupport
@testable import Transfer

/// A broken or hostile source: typed errors (never a crash, a hang or unbounded memory), or
/// safe handling where the data can still be trusted.
@Suite("Hostile and broken servers")
struct HostileServerTests {
    typealias Fault = FakeMailServer.Fault
    typealias Step = ScriptedIMAPServer.Step

    /// A hostile answer to the first UID FETCH and the protocol error it must give.
    struct Answer: CustomTestStringConvertible, Sendable {
        var name: String
        var steps: [Step]
        var testDescription: String { name }
    }

    static let fetchPrefix = "* 1 FETCH (UID 1 FLAGS () INTERNALDATE \"17-Jul-2024 02:44:25 +0200\" "
    static let protocolViolations = [
        Answer(name: "a 99,999,999,999-byte literal announced",
               steps: [.send(fetchPrefix + "RFC822.SIZE 10 BODY[] {99999999999}"), .delay(.seconds(3600))]),
        Answer(name: "an endless line",
               steps: [.sendRaw(Array((fetchPrefix + "X-JUNK ").utf8)), .sendRepeated(byte: UInt8(ascii: "x"), count: 8 << 20),
                       .delay(.seconds(3600))]),
        Answer(name: "lists nested 10,000 deep",
               steps: [.sendRaw(Array((fetchPrefix + "BODYSTRUCTURE ").utf8) + Array(repeating: UInt8(ascii: "("), count: 10_000)),
                       .delay(.seconds(3600))]),
        Answer(name: "a FETCH response that never closes (a literal restarts its line every time)",
               steps: [.sendRaw(Array(fetchPrefix.utf8) + Array(String(repeating: "X-JUNK {1}\r\na ", count: 20_000).utf8)),
                       .delay(.seconds(3600))]),
        Answer(name: "an untagged response made of endless literals",
               steps: [.sendRaw(Array("* XJUNK ".utf8) + Array((0..<8).map { _ in "{1048576}\r\n" + String(repeating: "j", count: 1 << 20) + " " }
                           .joined().utf8)),
                       .delay(.seconds(3600))]),
    ]

    @Test("export stops with .protocolViolation", arguments: protocolViolations)
    func protocolViolation(answer: Answer) async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("hostile") { scratch in
                server.inject(Fault(command: "UID FETCH", on: 1, .steps(answer.steps)))
                let waits = RequestedWaits()
                await #expect {
                    _ = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(waits))
                } throws: { error in
                    (error as? IMAPClientError)?.code == .protocolViolation
                }
                #expect(waits.all.isEmpty, "a protocol violation is not retried")
            }
        }
    }

    @Test("FETCH responses repeated without end stop the export with a clear error")
    func endlessFetchResponses() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("hostile-endless") { scratch in
                let flood = String(repeating: "* 1 FETCH (UID 1 FLAGS (\\Seen))\r\n", count: 12_000)
                server.inject(Fault(command: "UID FETCH", on: 1, .steps([.sendRaw(Array(flood.utf8)), .delay(.seconds(3600))])))
                await #expect {
                    _ = try await exportFake(server, to: scratch.path("crate"), options: faultExportOptions(RequestedWaits()))
                } throws: { error in
                    (error as? TransferError)?.message.contains("keeps sending more") == true
                }
            }
        }
    }

    @Test("tagged responses for tags never sent (or sent later) are ignored")
    func unknownTags() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("hostile-tags") { scratch in
                // Before each EXAMINE answer: junk tags, and an early "completion" of the
                // command the client will send next (its UID SEARCH), which must not end it.
                server.inject(.always("EXAMINE", .before([
                    .send("ZZZ9 OK nothing was sent with this tag"), .send("C9999 NO [SERVERBUG] bogus"),
                    .send("{nexttag} OK [fake] early completion"),
                ])))
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(RequestedWaits()))
                #expect(summary.messagesInCrate == 15)
                #expect(try crateContent(crate) == server.contentByMailbox)
            }
        }
    }

    @Test("mailbox names that are not valid modified UTF-7 are exported under their raw name")
    func invalidMailboxNames() async throws {
        let names: [[UInt8]] = [Array("Bad&Name".utf8), Array("Caf\u{e9}".utf8), Array("Half&AOk".utf8)]
        var mailboxes = ReconnectTests.sourceMailboxes
        for (offset, name) in names.enumerated() {
            var mailbox = FakeMailServer.Mailbox(wireName: name, uidValidity: 900 + UInt32(offset))
            for number in 0..<3 { mailbox.add(FakeMailServer.sample(number: 500 + offset * 10 + number)) }
            mailboxes.append(mailbox)
        }
        try await FakeMailServer.with(mailboxes: mailboxes) { server in
            try await withScratch("hostile-names") { scratch in
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(RequestedWaits()))
                #expect(summary.messagesInCrate == 24)
                let content = try crateContent(crate)
                #expect(content == server.contentByMailbox)
                for name in names { #expect(content[String(decoding: name, as: UTF8.self)]?.count == 3) }
            }
        }
    }

    @Test("a message sent twice in one FETCH is stored once")
    func duplicateUIDs() async throws {
        try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
            try await withScratch("hostile-duplicates") { scratch in
                let inbox = try #require(server.mailbox("INBOX"))
                var twice: [UInt8] = []
                for (index, message) in inbox.messages.enumerated() {
                    twice += FakeMailServer.fetchResponse(message, number: index + 1)
                    twice += FakeMailServer.fetchResponse(message, number: index + 1)
                }
                server.inject(Fault(command: "UID FETCH", on: 1, .steps([.sendRaw(twice), .send("{tag} OK FETCH completed")])))
                let crate = scratch.path("crate")
                let summary = try await exportFake(server, to: crate, options: faultExportOptions(RequestedWaits()))
                #expect(summary.messagesFetched == 15)
                #expect(try crateContent(crate) == server.contentByMailbox)
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.isEmpty, "\(report.problems)")
            }
        }
    }

    @Test("a UIDVALIDITY that changes between runs: the crate keeps the old, adds the new, imports each message once")
    func uidValidityChange() async throws {
        try await withScratch("hostile-uidvalidity") { scratch in
            let crate = scratch.path("crate")
            try await FakeMailServer.with(mailboxes: ReconnectTests.sourceMailboxes) { server in
                _ = try await exportFake(server, to: crate, options: faultExportOptions(RequestedWaits()))
                // The server rebuilt INBOX: new UIDVALIDITY, UIDs renumbered, and one new message.
                server.update("INBOX") { mailbox in
                    let old = mailbox.messages
                    mailbox = FakeMailServer.Mailbox(wireName: mailbox.wireName, uidValidity: 7777)
                    mailbox.uidNext = 50
                    for message in old.reversed() { mailbox.add(message.bytes, flags: message.flags, internalDate: message.internalDate) }
                    mailbox.add(FakeMailServer.sample(number: 999))
                }
                let second = try await exportFake(server, to: crate, options: faultExportOptions(RequestedWaits()))
                #expect(second.messagesFetched == 11, "a new UIDVALIDITY means every UID is new")
                #expect(try crateContent(crate) == server.contentByMailbox)
                let reader = try CrateReader(at: crate)
                let inbox = try #require(reader.folder(named: "INBOX"))
                #expect(inbox.uidValidity == 7777)
                let all = try reader.records(in: inbox)
                #expect(Set(all.map(\.uidValidity)) == [700, 7777], "the records of the old UIDVALIDITY are kept")
                let report = try CrateVerifier(url: crate).verify()
                #expect(report.problems.filter { $0.severity == .error }.isEmpty, "\(report.problems)")
            }
            try await FakeMailServer.with { destination in
                _ = try await importFake(crate, into: destination, state: scratch.path("state"), options: faultImportOptions(RequestedWaits()))
                let expected = try crateContent(crate)
                #expect(destination.contentByMailbox["INBOX"] == expected["INBOX"])
                #expect(destination.contentByMailbox["INBOX"]?.count == 11)
            }
        }
    }
}
