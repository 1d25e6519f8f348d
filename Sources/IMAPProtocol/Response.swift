import NIOCore

/// One event produced by `ResponseParser`. FETCH responses arrive as a sequence of `.fetch`
/// events so that message bodies stream in chunks and are never required whole in memory.
///
/// ```
/// S: * 12 FETCH (UID 7 BODY[] {5}
/// S: hello)
/// ```
/// parses to `.fetch(.start(12))`, `.fetch(.attribute(.uid(7)))`,
/// `.fetch(.streamingBegin(.body(section: "", offset: nil), byteCount: 5))`,
/// `.fetch(.streamingBytes("hello"))`, `.fetch(.streamingEnd)`, `.fetch(.finish)`.
public enum ResponseEvent: Hashable, Sendable {
    case untagged(UntaggedResponse)
    case tagged(TaggedResponse)
    /// `S: + Ready for literal data` or a SASL challenge: the text after `+ ` (may be empty).
    case continuation(String)
    case fetch(FetchEvent)
}

/// Untagged data other than FETCH (RFC 3501 §7).
public enum UntaggedResponse: Hashable, Sendable {
    /// `* OK`, `* NO`, `* BAD`, `* PREAUTH`, `* BYE` — including the greeting.
    case status(StatusResponse)
    case capability([Capability])
    /// RFC 5161: `* ENABLED CONDSTORE`
    case enabled([Capability])
    /// RFC 2971: `* ID ("name" "Dovecot")`, or `* ID NIL` (empty). Keys whose value is NIL
    /// are left out.
    case id([String: String])
    case namespace(NamespaceResponse)
    case list(ListResponse)
    case lsub(ListResponse)
    case mailboxStatus(MailboxStatus)
    case flags([Flag])
    case exists(UInt32)
    case recent(UInt32)
    case expunge(UInt32)
    /// RFC 7162: `* VANISHED (EARLIER) 41,43:116`
    case vanished(earlier: Bool, uids: [UIDRange])
    /// `* SEARCH 2 3 6` (UIDs after UID SEARCH), with the RFC 7162 MODSEQ if present.
    /// Bounded by the line length, not by `ParserLimits.maximumItemCount`.
    case search([UInt32], modSeq: UInt64?)
    /// Anything else, kept as its keyword (uppercased) and the raw rest of the line, literals
    /// rendered inline as quoted strings. For `* 3 XFOO bar` the text is `3 bar`.
    case other(keyword: String, text: String)
}

/// What a streamed FETCH item carries.
public enum StreamingKind: Hashable, Sendable {
    /// `BODY[section]<origin>` (section text without brackets, e.g. "" or "HEADER").
    case body(section: String, offset: UInt32?)
    /// RFC 3516 `BINARY[section]<origin>`.
    case binary(section: String, offset: UInt32?)
    /// `RFC822`, `RFC822.HEADER`, `RFC822.TEXT`.
    case rfc822(String)
}

/// Parts of one `* n FETCH (...)` response, in wire order.
public enum FetchEvent: Hashable, Sendable {
    /// The response for message sequence number `n` begins.
    case start(UInt32)
    case attribute(FetchAttribute)
    /// A body begins; exactly `byteCount` bytes follow in `.streamingBytes` events (NIL gives 0).
    case streamingBegin(StreamingKind, byteCount: Int)
    case streamingBytes(ByteBuffer)
    case streamingEnd
    /// The closing parenthesis of the FETCH response.
    case finish
}

/// A non-streamed FETCH attribute (RFC 3501 §7.4.2).
public enum FetchAttribute: Hashable, Sendable {
    case uid(UInt32)
    case flags([Flag])
    case internalDate(InternalDate)
    case rfc822Size(UInt64)
    /// RFC 7162 `MODSEQ (n)`.
    case modSeq(UInt64)
    /// Anything else (`ENVELOPE`, `BODYSTRUCTURE`, `X-GM-LABELS`, `X-GM-MSGID`, `EMAILID`, …):
    /// the name and its value as raw wire text (literals inlined).
    case other(name: String, value: String)
}
