import NIOCore

/// Accumulates the bytes of one command and applies the string rules of RFC 3501 §4.3 and
/// RFC 7888: atom when safe, quoted string when possible, literal otherwise.
struct CommandWriter {
    /// Longer strings go as literals even when they could be quoted.
    static let maximumQuotedLength = 1024
    /// RFC 7888 §5: LITERAL- allows `{n+}` only up to this many bytes.
    static let literalMinusLimit = 4096

    let options: CommandEncoder.Options
    private var parts: [EncodedCommand.Part] = []
    private var current = ByteBuffer()

    init(options: CommandEncoder.Options) { self.options = options }

    mutating func raw(_ text: String) { current.writeString(text) }
    mutating func space() { current.writeInteger(UInt8(ascii: " ")) }
    mutating func crlf() { current.writeString("\r\n") }

    /// `tag = 1*<any ASTRING-CHAR except "+">`
    mutating func tag(_ tag: String) throws {
        let bytes = Array(tag.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ Self.isAStringChar($0) && $0 != UInt8(ascii: "+") }) else {
            throw IMAPProtocolError(.unencodable, "The tag \"\(tag.prefix(32))\" is not a valid IMAP tag.")
        }
        current.writeBytes(bytes)
    }

    /// `atom = 1*ATOM-CHAR` — for keywords, mechanisms and capability names.
    mutating func atom(_ text: String, what: String) throws {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy(Self.isAtomChar) else {
            throw IMAPProtocolError(.unencodable, "The \(what) \"\(text.prefix(32))\" is not a valid IMAP atom.")
        }
        current.writeBytes(bytes)
    }

    /// Text copied into the command as is (sequence sets, search criteria, sections): it must
    /// stay on one line and be 7-bit.
    mutating func rawText(_ text: String, what: String) throws {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else {
            throw IMAPProtocolError(.unencodable, "The \(what) \"\(text.prefix(32))\" must be non-empty printable US-ASCII.")
        }
        current.writeBytes(bytes)
    }

    /// `astring = 1*ASTRING-CHAR / string`
    mutating func astring(_ bytes: [UInt8]) throws {
        if !bytes.isEmpty, bytes.allSatisfy(Self.isAStringChar), !Self.isNil(bytes) {
            current.writeBytes(bytes)
        } else {
            try string(bytes)
        }
    }

    /// `string = quoted / literal`
    mutating func string(_ bytes: [UInt8]) throws {
        guard !bytes.contains(0) else {
            throw IMAPProtocolError(.unencodable, "A string containing a NUL byte cannot be sent to an IMAP server.")
        }
        if canQuote(bytes) {
            current.writeInteger(UInt8(ascii: "\""))
            for byte in bytes {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    current.writeInteger(UInt8(ascii: "\\"))
                }
                current.writeInteger(byte)
            }
            current.writeInteger(UInt8(ascii: "\""))
        } else {
            literalHeader(count: bytes.count)
            current.writeBytes(bytes)
        }
    }

    /// `mailbox = "INBOX" / astring` (RFC 3501 §9: INBOX is case-insensitive).
    mutating func mailbox(_ name: MailboxName) throws {
        if name.isInbox {
            raw("INBOX")
        } else {
            try astring(name.bytes)
        }
    }

    /// `{n}` CRLF then a wait for `+`, or `{n+}` CRLF when LITERAL+ / LITERAL- allows it.
    mutating func literalHeader(count: Int) {
        let nonSynchronising = options.literalPlus || (options.literalMinus && count <= Self.literalMinusLimit)
        if nonSynchronising {
            raw("{\(count)+}\r\n")
        } else {
            raw("{\(count)}\r\n")
            parts.append(.bytes(current))
            parts.append(.waitForContinuation)
            current = ByteBuffer()
        }
    }

    mutating func finish() -> EncodedCommand {
        if current.readableBytes > 0 { parts.append(.bytes(current)) }
        return EncodedCommand(parts: parts)
    }

    private func canQuote(_ bytes: [UInt8]) -> Bool {
        guard bytes.count <= Self.maximumQuotedLength else { return false }
        guard !bytes.contains(where: { $0 == 0x0D || $0 == 0x0A }) else { return false }
        guard bytes.contains(where: { $0 >= 0x80 }) else { return true }
        return options.utf8Accept && String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    private static func isNil(_ bytes: [UInt8]) -> Bool {
        bytes.count == 3 && String(decoding: bytes, as: UTF8.self).uppercased() == "NIL"
    }

    /// `ATOM-CHAR = <any CHAR except atom-specials>`;
    /// `atom-specials = "(" / ")" / "{" / SP / CTL / list-wildcards / quoted-specials / resp-specials`
    static func isAtomChar(_ byte: UInt8) -> Bool {
        guard byte > 0x20, byte < 0x7F else { return false }
        switch byte {
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "{"), UInt8(ascii: "%"), UInt8(ascii: "*"),
             UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "]"):
            return false
        default:
            return true
        }
    }

    /// `ASTRING-CHAR = ATOM-CHAR / resp-specials`
    static func isAStringChar(_ byte: UInt8) -> Bool {
        isAtomChar(byte) || byte == UInt8(ascii: "]")
    }

    /// `flag` of RFC 3501 §9 (which excludes `\Recent`), so it may be set by APPEND or STORE.
    static func isStorableFlag(_ flag: Flag) -> Bool { flag.isStorable }
}

extension Flag {
    /// True when APPEND/STORE can carry this flag: an atom (RFC 3501 §9 `flag-keyword`), or a
    /// system flag other than `\Recent`, which only the server sets.
    public var isStorable: Bool {
        let flag = self
        var bytes = Array(flag.rawValue.utf8)
        if bytes.first == UInt8(ascii: "\\") {
            bytes.removeFirst()
            if flag == .recent { return false }
        }
        return !bytes.isEmpty && bytes.allSatisfy(CommandWriter.isAtomChar)
    }
}
