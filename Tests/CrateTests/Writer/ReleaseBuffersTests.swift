import Foundation
import Testing
@testable import Crate

@Suite("FolderWriter.releaseBuffers")
struct ReleaseBuffersTests {
    @Test("a folder that gave back its buffers stores and reads back the next messages", arguments: [MailFormat.maildir, .mbox])
    func storesAfterRelease(format: MailFormat) throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: format)
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX"))
        try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
        try inbox.commit()
        inbox.releaseBuffers()
        try CrateFixture.store(SampleMessages.longLine, uid: 2, in: inbox)
        inbox.releaseBuffers()
        try CrateFixture.store(SampleMessages.eightBit, uid: 3, in: inbox)
        try writer.finish(state: .complete)
        #expect(try fixture.readAll(folder: "INBOX") == [1: SampleMessages.plainCRLF, 2: SampleMessages.longLine, 3: SampleMessages.eightBit])
        #expect(try CrateVerifier(url: fixture.url).verify().problems.isEmpty)
    }

    @Test("it forgets the hashes of the current UIDVALIDITY and keeps those of older ones")
    func forgetsCurrentHashesOnly() throws {
        let fixture = try CrateFixture()
        do {
            let writer = try fixture.openWriter()
            let inbox = try writer.folder(SampleMessages.descriptor("INBOX", uidValidity: 1))
            try CrateFixture.store(SampleMessages.plainCRLF, uid: 1, in: inbox)
            try writer.finish(state: .complete)
        }
        let writer = try fixture.openWriter()
        let inbox = try writer.folder(SampleMessages.descriptor("INBOX", uidValidity: 2))
        let current = try CrateFixture.store(SampleMessages.bareLF, uid: 5, in: inbox)
        let reader = try fixture.reader()
        let folder = try #require(reader.folder(named: "INBOX"))
        let old = try #require(try reader.records(in: folder).first)
        #expect(inbox.knownHashes == [old.sha256, current.sha256])
        inbox.releaseBuffers()
        #expect(inbox.knownHashes == [old.sha256])
        // Content of the older UIDVALIDITY is still shared rather than stored again.
        let shared = try CrateFixture.store(SampleMessages.plainCRLF, uid: 6, in: inbox)
        #expect(shared.location == old.location)
        try writer.finish(state: .complete)
    }
}
