import Foundation
import Testing
@testable import Transfer

@Suite("UID sets, folder filters, ESEARCH, CRLF hashing")
struct SmallPiecesTests {
    @Test("UIDs are packed into ranges, batchSize UIDs per set")
    func uidSets() {
        #expect(UIDSets.batches([1, 2, 3, 7, 9, 10], batchSize: 500) == ["1:3,7,9:10"])
        #expect(UIDSets.batches([1, 2, 3, 4, 5], batchSize: 2) == ["1:2", "3:4", "5"])
        #expect(UIDSets.batches([], batchSize: 10).isEmpty)
        #expect(UIDSets.batches([UInt32.max - 1, UInt32.max], batchSize: 10) == ["\(UInt32.max - 1):\(UInt32.max)"])
    }

    @Test("ESEARCH ALL answers become UID lists")
    func esearch() throws {
        #expect(try IMAPUIDSearch.parseESearchAll("(TAG \"C5\") UID ALL 1:3,7") == [1, 2, 3, 7])
        #expect(try IMAPUIDSearch.parseESearchAll("(TAG \"C5\") UID") == [])
        #expect(throws: TransferError.self) { try IMAPUIDSearch.parseESearchAll("(TAG \"C5\") UID ALL x:y") }
    }

    @Test("folder globs include, exclude, and keep the parents of what they include")
    func filter() {
        let folders = ["INBOX", "Archive", "Archive/2023", "Archive/2024", "Spam"].map {
            FolderInfo(name: $0, components: $0.split(separator: "/").map(String.init), separator: "/")
        }
        let onlyArchive = FolderFilter(include: ["Archive/*"]).apply(to: folders)
        #expect(onlyArchive.map(\.name) == ["Archive", "Archive/2023", "Archive/2024"])
        #expect(onlyArchive.first?.selectable == false)
        let noSpam = FolderFilter(exclude: ["Spam", "*/2023"]).apply(to: folders)
        #expect(noSpam.map(\.name) == ["INBOX", "Archive", "Archive/2024"])
    }

    @Test("the CRLF-normalised hash is the same for LF and CRLF copies, in any chunking")
    func crlfHash() {
        func hash(_ text: String, chunk: Int) -> String {
            var hasher = CRLFHash()
            let bytes = Array(text.utf8)
            var start = 0
            while start < bytes.count {
                let end = min(start + chunk, bytes.count)
                bytes[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            return hasher.finalize()
        }
        let lf = "Subject: x\n\nline one\nline two\n"
        let crlf = "Subject: x\r\n\r\nline one\r\nline two\r\n"
        for chunk in 1...8 {
            #expect(hash(lf, chunk: chunk) == hash(crlf, chunk: 64))
        }
        #expect(hash("a\n", chunk: 1) != hash("b\n", chunk: 1))
    }

    @Test("special-use names are recognised in several languages, on the last component")
    func specialUseNames() {
        #expect(SpecialUseNames.role(ofName: "Gesendete Objekte", separator: "/") == "\\Sent")
        #expect(SpecialUseNames.role(ofName: "INBOX.Envoyés", separator: ".") == "\\Sent")
        #expect(SpecialUseNames.role(ofName: "Отправленные", separator: "/") == "\\Sent")
        #expect(SpecialUseNames.role(ofName: "Corbeille", separator: "/") == "\\Trash")
        #expect(SpecialUseNames.role(ofName: "Projects", separator: "/") == nil)
    }
}
