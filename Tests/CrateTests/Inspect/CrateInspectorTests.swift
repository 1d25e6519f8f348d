import Foundation
import Testing
@testable import Crate

@Suite("CrateInspector")
struct CrateInspectorTests {
    @Test("folder summaries count messages and give the date range", arguments: [MailFormat.maildir, .mbox])
    func summary(format: MailFormat) throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox, internalDateUnix: 2_000)
        try CrateFixture.store(SampleMessages.bareLF, uid: 2, in: inbox, internalDateUnix: 1_000)
        try CrateFixture.store(SampleMessages.eightBit, uid: 3, in: inbox, internalDateUnix: 3_000)
        _ = try writer.folder(SampleMessages.descriptor("Empty"))
        try writer.finish(state: .complete)

        let summary = try CrateInspector(reader: try fixture.reader()).summary()
        #expect(summary.mailFormat == format)
        #expect(summary.state == .complete)
        #expect(summary.totals.messages == 3)
        let first = summary.folders[0]
        #expect(first.name == "INBOX")
        #expect(first.messageCount == 3)
        #expect(first.bytes == SampleMessages.plainCRLF.count + SampleMessages.bareLF.count + SampleMessages.eightBit.count)
        #expect(first.firstInternalDateUnix == 1_000)
        #expect(first.lastInternalDateUnix == 3_000)
        #expect(summary.folders[1].messageCount == 0)
        #expect(summary.folders[1].firstInternalDate == nil)
    }

    @Test("message listings read the Subject from the stored message, decoding encoded words", arguments: [MailFormat.maildir, .mbox])
    func subjects(format: MailFormat) throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.bytes("Subject: =?UTF-8?Q?r=C3=A9sum=C3=A9?=\n =?UTF-8?B?IOKCrA==?=\n\nbody\n"), uid: 1, in: inbox)
        try CrateFixture.store(SampleMessages.bytes("From: nobody\n\nno subject\n"), uid: 2, in: inbox)
        try CrateFixture.store(SampleMessages.large, uid: 3, in: inbox, flags: ["\\Flagged"])
        try writer.finish(state: .complete)

        let reader = try fixture.reader()
        let messages = try CrateInspector(reader: reader).messages(in: try #require(reader.folder(named: "INBOX")))
        #expect(messages.map(\.uid) == [1, 2, 3])
        #expect(messages[0].subject == "résumé €")
        #expect(messages[1].subject == nil)
        #expect(messages[2].subject == "large")
        #expect(messages[2].messageID == "<large@example.com>")
        #expect(messages[2].flags == ["\\Flagged"])
        #expect(messages[2].size == SampleMessages.large.count)
    }
}
