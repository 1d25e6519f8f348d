import Foundation

/// A message that `DovecotServer.seed` writes straight into a Maildir: its exact bytes, system
/// flags and INTERNALDATE (the file's mtime).
public struct SeedMessage: Sendable, Hashable {
    /// The message exactly as stored and later served by `BODY[]`.
    public var bytes: [UInt8]
    /// System flags only: keywords would need Dovecot's `dovecot-keywords` file, which seeding
    /// does not write (APPEND them through IMAP instead).
    public var flags: Set<SeedFlag>
    /// The INTERNALDATE (RFC 3501 §2.3.3), stored as the file's modification time; whole
    /// seconds, reported by Dovecot in the server's time zone.
    public var internalDate: Date

    /// 2023-11-14 22:13:20 UTC, a fixed date so tests are repeatable.
    public static let defaultInternalDate = Date(timeIntervalSince1970: 1_700_000_000)

    public init(bytes: [UInt8], flags: Set<SeedFlag> = [], internalDate: Date = SeedMessage.defaultInternalDate) {
        self.bytes = bytes
        self.flags = flags
        self.internalDate = internalDate
    }

    /// A message from text, byte for byte (write the CRLFs you want).
    public init(_ text: String, flags: Set<SeedFlag> = [], internalDate: Date = SeedMessage.defaultInternalDate) {
        self.init(bytes: Array(text.utf8), flags: flags, internalDate: internalDate)
    }

    /// A synthetic RFC 5322 message numbered `number`, with a unique Message-ID and a body of
    /// `bodySize` bytes of text in CRLF lines, for bulk seeding.
    public static func sample(number: Int, bodySize: Int = 512, flags: Set<SeedFlag> = [],
                              internalDate: Date = SeedMessage.defaultInternalDate) -> SeedMessage {
        var text = """
            From: Sender \(number) <sender\(number)@example.com>\r
            To: Recipient <recipient@example.org>\r
            Subject: Test message \(number)\r
            Date: Tue, 14 Nov 2023 22:13:20 +0000\r
            Message-ID: <seed-\(number)@imapcrate.test>\r
            MIME-Version: 1.0\r
            Content-Type: text/plain; charset=us-ascii\r
            \r

            """
        let line = "Line of the body of message \(number), padded to fill the requested size.\r\n"
        var body = String(repeating: line, count: bodySize / line.utf8.count)
        body += String(repeating: "x", count: max(0, bodySize - body.utf8.count))
        text += body
        return SeedMessage(text, flags: flags, internalDate: internalDate)
    }

    /// The size with every bare LF counted as CRLF: Dovecot's `W=` (RFC822.SIZE) in file names.
    var virtualSize: Int {
        var size = bytes.count
        var previous: UInt8 = 0
        for byte in bytes {
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { size += 1 }
            previous = byte
        }
        return size
    }

    /// The Maildir info suffix: `:2,` then the flag letters in ASCII order (Maildir spec).
    var infoSuffix: String {
        ":2," + String(flags.map(\.rawValue).sorted())
    }
}

/// A system flag as a Maildir file name letter (https://cr.yp.to/proto/maildir.html).
public enum SeedFlag: Character, Sendable, CaseIterable {
    /// `\Draft`
    case draft = "D"
    /// `\Flagged`
    case flagged = "F"
    /// `\Answered`
    case answered = "R"
    /// `\Seen`
    case seen = "S"
    /// `\Deleted`
    case deleted = "T"

    /// The IMAP flag as on the wire, e.g. `\Seen`.
    public var imapFlag: String {
        switch self {
        case .draft: return "\\Draft"
        case .flagged: return "\\Flagged"
        case .answered: return "\\Answered"
        case .seen: return "\\Seen"
        case .deleted: return "\\Deleted"
        }
    }
}
