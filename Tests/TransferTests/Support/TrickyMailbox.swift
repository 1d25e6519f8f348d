import Foundation
import IMAPClient
import IMAPProtocol
import NIOCore
import TestSupport

/// A message to APPEND: exact bytes, flags and keywords, INTERNALDATE text with its zone.
struct AppendedMessage: Hashable {
    var bytes: [UInt8]
    var flags: [String]
    var date: String

    init(_ text: String, flags: [String] = [], date: String) {
        self.init(bytes: Array(text.utf8), flags: flags, date: date)
    }

    init(bytes: [UInt8], flags: [String] = [], date: String) {
        self.bytes = bytes
        self.flags = flags
        self.date = date
    }
}

/// One folder of a seeded account: its name with `/` as the hierarchy separator.
struct SeededFolder {
    var name: String
    var messages: [AppendedMessage]
    var subscribed: Bool
}

/// The hard cases for export and import, as a whole account: line endings, 8-bit bytes, a
/// 5,000-character line, no final newline, `From ` lines, every system flag (\Deleted not
/// expunged), keywords, non-UTC INTERNALDATE zones, an empty folder, an empty parent, a
/// parent that exists only through its child, a child of INBOX, non-ASCII and `&` names, a
/// repeated message.
enum TrickyMailbox {
    static let bareLF = AppendedMessage(
        "From: Alice <alice@example.com>\nTo: bob@example.org\nSubject: bare LF endings\n"
            + "Message-ID: <bare-lf@imapcrate.test>\n\nfirst line\nsecond line\n",
        flags: ["\\Seen"], date: "14-Nov-2023 15:13:20 -0700")
    static let crlf = AppendedMessage(
        "From: Alice <alice@example.com>\r\nTo: bob@example.org\r\nSubject: CRLF endings\r\n"
            + "Message-ID: <crlf@imapcrate.test>\r\n\r\nbody line\r\n",
        flags: ["\\Flagged", "$Forwarded"], date: "01-Jan-2020 05:30:00 +0530")
    static let eightBit = AppendedMessage(
        bytes: Array("From: =?utf-8?q?J=C3=BCrgen?= <j@example.de>\r\nSubject: 8-bit body\r\nMessage-ID: <8bit@imapcrate.test>\r\n".utf8)
            + Array("Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\n".utf8)
            + [0x63, 0x61, 0x66, 0xE9, 0x20, 0xFF, 0x80, 0xC3, 0x28, 0x0D, 0x0A]
            + Array("Grüße aus Köln — ünïcödé\r\n".utf8),
        flags: ["\\Answered", "Project1"], date: "29-Feb-2024 23:59:59 +1245")
    static let longLine = AppendedMessage(
        "From: Bob <bob@example.org>\r\nSubject: one long line\r\nMessage-ID: <long@imapcrate.test>\r\n\r\n"
            + String(repeating: "0123456789", count: 500) + "\r\nshort\r\n",
        flags: ["\\Draft"], date: "31-Dec-1999 23:59:59 -0930")
    static let noFinalNewline = AppendedMessage(
        "From: Bob <bob@example.org>\r\nSubject: no final newline\r\nMessage-ID: <nofinal@imapcrate.test>\r\n\r\n"
            + "the last line has no line break",
        flags: ["\\Deleted", "\\Seen"], date: "15-Jun-2022 12:00:00 +0200")
    static let fromLines = AppendedMessage(
        "From: Carol <carol@example.net>\r\nSubject: From lines\r\nMessage-ID: <from@imapcrate.test>\r\n\r\n"
            + "From the start of a line\r\n>From quoted once\r\n>>From quoted twice\r\nFrom \r\n>From\r\nend\r\n",
        flags: ["$Forwarded", "Project1", "\\Answered"], date: "03-Mar-2021 03:03:03 -0800")
    static let fromLinesBareLF = AppendedMessage(
        "From: Carol <carol@example.net>\nSubject: From lines, bare LF\nMessage-ID: <from-lf@imapcrate.test>\n\n"
            + "From here\n>From there\n\nFrom after a blank line\n",
        flags: [], date: "10-Oct-2010 10:10:10 +0000")
    static let unseen = AppendedMessage(
        "From: Dave <dave@example.com>\r\nSubject: still unread\r\nMessage-ID: <unseen@imapcrate.test>\r\n\r\nunread\r\n",
        flags: [], date: "05-May-2015 05:05:05 -0500")

    static let folders: [SeededFolder] = [
        SeededFolder(name: "INBOX", messages: [bareLF, crlf, eightBit, longLine, noFinalNewline, fromLines, fromLinesBareLF, unseen],
                     subscribed: true),
        SeededFolder(name: "INBOX/Sub", messages: [eightBit], subscribed: true),
        SeededFolder(name: "Archive", messages: [], subscribed: false),
        SeededFolder(name: "Archive/2024", messages: [crlf, eightBit, unseen], subscribed: true),
        SeededFolder(name: "Empty", messages: [], subscribed: true),
        SeededFolder(name: "Parent/Child", messages: [fromLines], subscribed: false),
        SeededFolder(name: "Entwürfe", messages: [longLine], subscribed: true),
        SeededFolder(name: "R&D", messages: [noFinalNewline, bareLF, bareLF], subscribed: false),
        SeededFolder(name: "Отправленные", messages: [fromLinesBareLF, crlf], subscribed: true),
    ]

    /// Every message, once per folder it is in.
    static var messageCount: Int { folders.reduce(0) { $0 + $1.messages.count } }

    /// Creates the folders of `plan` for `user` (names use `/`; the server's own separator is
    /// used on the wire), APPENDs their messages with flags and dates, and subscribes.
    /// `prefix` is the personal namespace prefix of servers that have one (`INBOX.`).
    static func seed(_ server: DovecotServer, user: String, folders plan: [SeededFolder] = folders, prefix: String = "") async throws {
        let separator = server.configuration.separator.rawValue
        try await server.withSession(user) { session in
            for folder in plan {
                let name = prefix + folder.name.replacingOccurrences(of: "/", with: separator)
                let mailbox = folder.name == "INBOX" ? MailboxName.inbox : MailboxName(displayName: name)
                if folder.name != "INBOX" { try await session.create(mailbox) }
                for message in folder.messages {
                    try await session.append(
                        to: mailbox, flags: message.flags.map(Flag.init), internalDate: try InternalDate(parsing: message.date),
                        message: ByteBuffer(bytes: message.bytes))
                }
                if folder.subscribed { try await session.subscribe(mailbox) }
            }
        }
    }
}
