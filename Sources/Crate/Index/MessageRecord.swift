/// One line of a folder's index: a stored message, its IMAP metadata and where its bytes are.
///
/// `size` and `sha256` describe the exact message bytes as the server sent them (before gzip
/// and before mbox `From ` escaping). Written as one JSON object per line:
/// ```
/// {"uid":7,"uidValidity":1700000000,"size":1234,"sha256":"9f86…","internalDate":"17-Jul-1996 02:44:25 -0700",
///  "internalDateUnix":837596665,"flags":["\\Seen","$Forwarded"],"messageID":"<a@b>","file":"cur/837596665.U…:2,PS"}
/// ```
public struct MessageRecord: Sendable, Hashable {
    public var uid: UInt32
    /// The folder's UIDVALIDITY when the message was fetched.
    public var uidValidity: UInt32
    /// Length of the original message in bytes.
    public var size: Int
    /// SHA-256 of the original message bytes, 64 lowercase hex digits.
    public var sha256: String
    /// INTERNALDATE as the server sent it, e.g. `"17-Jul-1996 02:44:25 -0700"` (RFC 3501 §9).
    public var internalDate: String
    /// The same instant as Unix seconds.
    public var internalDateUnix: Int64
    /// Flags and keywords exactly as the server sent them (`"\\Seen"`, `"$Forwarded"`, `"Work"`).
    public var flags: [String]
    /// The Message-ID header (unfolded, trimmed), when the message has one.
    public var messageID: String?
    public var location: MessageLocation

    public init(
        uid: UInt32, uidValidity: UInt32, size: Int, sha256: String, internalDate: String,
        internalDateUnix: Int64, flags: [String], messageID: String?, location: MessageLocation
    ) {
        self.uid = uid
        self.uidValidity = uidValidity
        self.size = size
        self.sha256 = sha256
        self.internalDate = internalDate
        self.internalDateUnix = internalDateUnix
        self.flags = flags
        self.messageID = messageID
        self.location = location
    }
}

/// Where a message's stored bytes are, relative to its folder's `location`.
public enum MessageLocation: Sendable, Hashable {
    /// A Maildir file, `cur/NAME` or `new/NAME`.
    case file(String)
    /// An mbox member: byte offset in the folder's mbox file and stored (compressed) length.
    case mbox(offset: Int, length: Int)
}

extension MessageRecord {
    /// The largest size a record may claim: 64 GiB, far beyond any message an IMAP server
    /// sends (RFC 3501 sizes are 32-bit). A larger one is tampering; refusing it keeps every
    /// size computation and sum over records far from overflowing.
    public static let maximumSize = 1 << 36
    /// The largest stored (mbox member) length: mboxrd quoting at most doubles a message, and
    /// gzip adds little.
    static let maximumStoredLength = 2 * maximumSize + (1 << 20)
}

extension MessageRecord: Codable {
    private enum CodingKeys: String, CodingKey {
        case uid, uidValidity, size, sha256, internalDate, internalDateUnix, flags, messageID, file, mbox
    }

    private struct MboxSpan: Codable {
        var offset: Int
        var length: Int
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        uid = try container.decode(UInt32.self, forKey: .uid)
        uidValidity = try container.decode(UInt32.self, forKey: .uidValidity)
        size = try container.decode(Int.self, forKey: .size)
        sha256 = try container.decode(String.self, forKey: .sha256)
        internalDate = try container.decode(String.self, forKey: .internalDate)
        internalDateUnix = try container.decode(Int64.self, forKey: .internalDateUnix)
        flags = try container.decode([String].self, forKey: .flags)
        messageID = try container.decodeIfPresent(String.self, forKey: .messageID)
        if let file = try container.decodeIfPresent(String.self, forKey: .file) {
            location = .file(file)
        } else if let span = try container.decodeIfPresent(MboxSpan.self, forKey: .mbox) {
            location = .mbox(offset: span.offset, length: span.length)
        } else {
            throw DecodingError.keyNotFound(
                CodingKeys.file, .init(codingPath: container.codingPath, debugDescription: "no \"file\" or \"mbox\""))
        }
        guard (0...Self.maximumSize).contains(size), MessageHash(hex: sha256) != nil else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: container.codingPath, debugDescription: "impossible size or malformed sha256"))
        }
        if case .mbox(let offset, let length) = location {
            guard offset >= 0, (0...Self.maximumStoredLength).contains(length), offset <= Int.max - length else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: container.codingPath, debugDescription: "impossible mbox offset or length"))
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uid, forKey: .uid)
        try container.encode(uidValidity, forKey: .uidValidity)
        try container.encode(size, forKey: .size)
        try container.encode(sha256, forKey: .sha256)
        try container.encode(internalDate, forKey: .internalDate)
        try container.encode(internalDateUnix, forKey: .internalDateUnix)
        try container.encode(flags, forKey: .flags)
        try container.encodeIfPresent(messageID, forKey: .messageID)
        switch location {
        case .file(let file): try container.encode(file, forKey: .file)
        case .mbox(let offset, let length): try container.encode(MboxSpan(offset: offset, length: length), forKey: .mbox)
        }
    }
}
