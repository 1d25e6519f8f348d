import Foundation
import Testing
@testable import Crate

@Suite("Following an index while it is written")
struct IndexFollowTests {
    @Test("nextAppended returns each complete line once, waits at a partial one, and reads on after it grows")
    func followsAppends() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        try IndexTests.write([IndexTests.record(1), IndexTests.record(2)], to: path)
        let reader = try IndexReader(path: path)
        var uids: [UInt32] = []
        func drain() throws {
            while let entry = try reader.nextAppended() {
                guard case .record(let record, _) = entry else { Issue.record("unexpected \(entry)"); return }
                uids.append(record.uid)
            }
        }
        try drain()
        #expect(uids == [1, 2])
        // Half of a line: nothing yet, and the half is kept.
        let line = String(decoding: try JSONEncoder().encode(IndexTests.record(3)), as: UTF8.self)
        let half = line.index(line.startIndex, offsetBy: line.count / 2)
        try IndexTests.appendRaw(String(line[..<half]), to: path)
        try drain()
        #expect(uids == [1, 2])
        try IndexTests.appendRaw(String(line[half...]) + "\n", to: path)
        try drain()
        #expect(uids == [1, 2, 3])
        // Many lines at once, more than one read buffer.
        let more = (4...2_000).map { IndexTests.record(UInt32($0)) }
        let text = try more.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) + "\n" }.joined()
        try IndexTests.appendRaw(text, to: path)
        try drain()
        #expect(uids == Array(1...2_000))
        #expect(reader.duplicates.isEmpty)
    }

    @Test("a corrupt complete line is reported, not skipped")
    func corruptLine() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path + "/i.jsonl"
        try IndexTests.write([IndexTests.record(1)], to: path)
        try IndexTests.appendRaw("{not json}\n", to: path)
        let reader = try IndexReader(path: path)
        #expect(try reader.nextAppended() != nil)
        guard case .corrupt(let line, _)? = try reader.nextAppended() else {
            Issue.record("the corrupt line was not reported")
            return
        }
        #expect(line == 2)
    }

    @Test("a follower sees a folder's records as the writer commits them")
    func followerSeesCommits() throws {
        let fixture = try CrateFixture()
        let writer = try fixture.openWriter(format: .maildir)
        let folder = try writer.folder(SampleMessages.descriptor("INBOX"))
        try writer.saveManifest()
        let reader = try fixture.reader()
        let follower = reader.follow(try #require(reader.folder(named: "INBOX")))
        #expect(try follower.next() == nil)
        for uid in UInt32(1)...3 { try CrateFixture.store(Array("Subject: \(uid)\r\n\r\nbody\r\n".utf8), uid: uid, in: folder) }
        #expect(try follower.next() == nil, "nothing is committed yet")
        try folder.commit()
        #expect(try [follower.next(), follower.next(), follower.next()].map { $0?.uid } == [1, 2, 3])
        #expect(try follower.next() == nil)
        try CrateFixture.store(Array("Subject: 4\r\n\r\nbody\r\n".utf8), uid: 4, in: folder)
        try folder.commit()
        #expect(try follower.next()?.uid == 4)
    }
}
