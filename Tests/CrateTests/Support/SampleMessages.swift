import Foundation
@testable import Crate

/// Messages that stress byte-exact storage.
enum SampleMessages {
    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static let plainCRLF = bytes("From: a@example.com\r\nSubject: hello\r\nMessage-ID: <crlf@example.com>\r\n\r\nbody line\r\n")
    static let bareLF = bytes("From: a@example.com\nSubject: bare\nMessage-ID:\n <folded@example.com>\n\nline one\nline two\n")
    static let eightBit: [UInt8] = bytes("Subject: caf") + [0xC3, 0xA9, 0x0A, 0x0A] + [0x80, 0xFF, 0x00, 0x41, 0x0A]
    static let longLine = bytes("Subject: long\n\n" + String(repeating: "x", count: 5_000) + "\n")
    static let noFinalNewline = bytes("Subject: no newline\n\nlast line without newline")
    static let noFinalNewlineCR = bytes("Subject: cr\r\n\r\nends with CR\r")
    static let fromLines = bytes(
        "Subject: from lines\n\nFrom the start\n>From quoted once\n>>From quoted twice\nFrom \n>From\nFromage\n From indented\nFrom ")
    static let startsWithFrom = bytes("From nobody Mon Jan  1 00:00:00 2001\nSubject: x\n\n>From here\n")
    static let empty: [UInt8] = []
    static let onlyNewline = bytes("\n")
    static let crlfFromLines = bytes("Subject: crlf from\r\n\r\nFrom me\r\n>From you\r\n")

    /// A 3 MB message with mixed lines, including From lines every so often.
    static let large: [UInt8] = {
        var text = "Subject: large\nMessage-ID: <large@example.com>\n\n"
        var line = 0
        while text.utf8.count < 3_000_000 {
            line += 1
            if line % 97 == 0 { text += "From line \(line)\n" }
            else if line % 89 == 0 { text += ">>From quoted \(line)\n" }
            else { text += "Line \(line) of a large message with some text to compress \(line * 7919 % 1000)\n" }
        }
        return bytes(text)
    }()

    static let all: [(name: String, bytes: [UInt8])] = [
        ("plainCRLF", plainCRLF), ("bareLF", bareLF), ("eightBit", eightBit), ("longLine", longLine),
        ("noFinalNewline", noFinalNewline), ("noFinalNewlineCR", noFinalNewlineCR), ("fromLines", fromLines),
        ("startsWithFrom", startsWithFrom), ("empty", empty), ("onlyNewline", onlyNewline),
        ("crlfFromLines", crlfFromLines), ("large", large),
    ]

    /// Feeds `bytes` to `sink` in chunks whose sizes cycle through odd values.
    static func feed(_ bytes: [UInt8], to sink: MessageSink, chunkSizes: [Int] = [1, 7, 4093, 65_537, 3, 131_071]) throws {
        var offset = 0
        var turn = 0
        while offset < bytes.count {
            let size = min(chunkSizes[turn % chunkSizes.count], bytes.count - offset)
            try bytes[offset..<(offset + size)].withUnsafeBytes { try sink.write($0) }
            offset += size
            turn += 1
        }
    }

    static let source = SourceInfo(host: "imap.example.com", user: "alice", capabilities: ["IMAP4rev1"], separator: "/")

    static func descriptor(_ name: String, uidValidity: UInt32 = 1000) -> FolderDescriptor {
        FolderDescriptor(
            name: name, pathComponents: name.split(separator: "/").map(String.init), separator: "/",
            uidValidity: uidValidity, uidNext: 1)
    }
}
