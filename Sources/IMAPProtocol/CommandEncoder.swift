import NIOCore

/// Bytes to send for one command, split where the client must wait for the server's `+`
/// continuation before going on (synchronising literals, RFC 3501 §7.5).
public struct EncodedCommand: Hashable, Sendable {
    public enum Part: Hashable, Sendable {
        case bytes(ByteBuffer)
        /// Wait for `S: + ...` before sending the following parts.
        case waitForContinuation
    }

    public var parts: [Part]

    public init(parts: [Part]) { self.parts = parts }
}

/// Turns `Command` values into wire bytes (RFC 3501 §6, §9), choosing for every string the
/// lightest form that is valid: atom, quoted string, or literal (`{n}` synchronising, or
/// `{n+}` with LITERAL+ / LITERAL-, RFC 7888).
///
/// `C: A1 LOGIN alice "pass word"` · `C: A2 CREATE {12}` `S: + go` `C: Entwürfe…`
public struct CommandEncoder: Sendable {
    /// Server capabilities that change how strings may be sent.
    public struct Options: Hashable, Sendable {
        /// RFC 7888 LITERAL+: every literal may be non-synchronising (`{n+}`).
        public var literalPlus: Bool
        /// RFC 7888 LITERAL-: literals of at most 4096 bytes may be non-synchronising.
        public var literalMinus: Bool
        /// RFC 6855 UTF8=ACCEPT is enabled: UTF-8 may appear in quoted strings.
        public var utf8Accept: Bool

        public init(literalPlus: Bool = false, literalMinus: Bool = false, utf8Accept: Bool = false) {
            self.literalPlus = literalPlus
            self.literalMinus = literalMinus
            self.utf8Accept = utf8Accept
        }
    }

    public var options: Options

    public init(options: Options = Options()) { self.options = options }

    /// Encodes a whole command line, CRLF included. Throws `unencodable` for a bad tag, a NUL
    /// byte, or raw text (sequence set, search criteria, section) that would break the line.
    public func encode(_ command: Command, tag: String) throws -> EncodedCommand {
        var writer = CommandWriter(options: options)
        try writer.tag(tag)
        writer.space()
        try writer.command(command)
        writer.crlf()
        return writer.finish()
    }

    /// `C: A1 APPEND mailbox` — the start of an APPEND, without CRLF; one or more
    /// `encodeAppendMessage` (RFC 3502 MULTIAPPEND) and `encodeAppendEnd` follow.
    public func encodeAppendStart(tag: String, mailbox: MailboxName) throws -> EncodedCommand {
        var writer = CommandWriter(options: options)
        try writer.tag(tag)
        writer.raw(" APPEND ")
        try writer.mailbox(mailbox)
        return writer.finish()
    }

    /// ` (\Seen) "17-Jul-1996 02:44:25 -0700" {310+}` CRLF — the header of one message; its
    /// `byteCount` bytes follow. A synchronising `{n}` ends with `.waitForContinuation`.
    /// `\Recent`, `\*` and flags that are not valid atoms cannot be stored and are left out.
    public func encodeAppendMessage(_ header: AppendMessageHeader) -> EncodedCommand {
        var writer = CommandWriter(options: options)
        let flags = header.flags.filter { CommandWriter.isStorableFlag($0) }
        if !flags.isEmpty {
            writer.raw(" (")
            writer.raw(flags.map(\.rawValue).joined(separator: " "))
            writer.raw(")")
        }
        if let date = header.internalDate {
            writer.raw(" \"\(date.imapString)\"")
        }
        writer.space()
        writer.literalHeader(count: max(0, header.byteCount))
        return writer.finish()
    }

    /// The CRLF that ends an APPEND command after the last message's bytes.
    public func encodeAppendEnd() -> ByteBuffer { ByteBuffer(string: "\r\n") }

    /// A client continuation line (e.g. a SASL response, RFC 3501 §6.2.2): the base64 text
    /// (any CR or LF in it removed, so it stays one line) and CRLF.
    public func encodeContinuationResponse(_ base64: String) -> ByteBuffer {
        var line = String.UnicodeScalarView(base64.unicodeScalars.filter { $0 != "\r" && $0 != "\n" })
        line.append(contentsOf: "\r\n".unicodeScalars)
        return ByteBuffer(string: String(line))
    }
}
