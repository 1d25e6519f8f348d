import Foundation
import IMAPClient
import IMAPProtocol
import NIOCore

/// Streams the messages of the selected folder from `UID FETCH` responses:
/// `C: UID FETCH 1:500 (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])`.
///
/// When UID, FLAGS and INTERNALDATE precede the body (as servers send them) the body goes
/// straight to `receive`; a server that sends them after the body has it spooled to a
/// temporary file first, so the metadata is complete before anything is written.
struct IMAPMessageReader {
    static let items: [FetchItem] = [.uid, .flags, .internalDate, .rfc822Size, .bodyPeek(section: "")]
    /// FETCH responses allowed beyond four per message delivered (flag updates, repeats).
    static let spareResponses = 10_000

    let session: IMAPSession

    /// Fetches `sets` (UID sequence-sets) and calls `receive` once per message.
    func read(
        _ sets: [String],
        receive: (MessageInfo, inout FetchBodyReader) async throws -> Void
    ) async throws {
        let cursor = FetchCursor(session.uidFetch(sets, items: Self.items, pipelineDepth: 2).makeAsyncIterator())
        var pending = PendingMessage()
        var responses = 0
        var messages = Set<UInt32>()
        while let event = try await cursor.next() {
            switch event {
            case .start:
                // A server repeating FETCH responses without end (the same message again and
                // again, or flags alone) would keep this loop going forever.
                responses += 1
                guard responses <= Self.spareResponses + 4 * messages.count else {
                    throw TransferError(.failed, "the server sent \(responses) FETCH responses for \(messages.count) messages "
                        + "and keeps sending more; stopping rather than reading forever")
                }
                pending = PendingMessage()
            case .attribute(let attribute):
                pending.apply(attribute)
            case .streamingBegin(let kind, let byteCount):
                guard case .body(section: "", offset: nil) = kind else {
                    try await cursor.skipBody()
                    continue
                }
                if pending.isComplete, let info = pending.info(size: byteCount) {
                    var reader = FetchBodyReader(cursor: cursor, remaining: byteCount)
                    try await receive(info, &reader)
                    try await reader.drain()
                    pending.delivered = true
                } else {
                    pending.spool = try await SpooledBody.fill(from: cursor, byteCount: byteCount)
                }
            case .streamingBytes, .streamingEnd:
                continue
            case .finish:
                if let uid = pending.uid, pending.delivered || pending.spool != nil { messages.insert(uid) }
                if !pending.delivered, let spool = pending.spool {
                    defer { spool.remove() }
                    guard let info = pending.info(size: spool.byteCount) else {
                        throw TransferError(.failed, "the server sent a message without its UID")
                    }
                    var reader = FetchBodyReader(spool: spool)
                    try await receive(info, &reader)
                }
                pending = PendingMessage()
            }
        }
    }
}

/// Attributes gathered for the message whose FETCH response is being read.
struct PendingMessage {
    var uid: UInt32?
    var flags: [Flag]?
    var internalDate: InternalDate?
    /// An INTERNALDATE the parser could not read, kept as the server sent it.
    var rawInternalDate: String?
    var delivered = false
    var spool: SpooledBody?

    mutating func apply(_ attribute: FetchAttribute) {
        switch attribute {
        case .uid(let value): uid = value
        case .flags(let value): flags = value
        case .internalDate(let value): internalDate = value
        case .other(let name, let value) where name.uppercased() == "INTERNALDATE":
            rawInternalDate = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        default: break
        }
    }

    /// True once everything that must precede the body has arrived.
    var isComplete: Bool { uid != nil && flags != nil && (internalDate != nil || rawInternalDate != nil) }

    /// The message's metadata; nil without a UID. Missing flags count as none; a missing
    /// or unreadable date is kept as nil / the raw text (the message is never dropped for it).
    func info(size: Int) -> MessageInfo? {
        guard let uid else { return nil }
        let kept = (flags ?? []).filter { $0 != .recent }.map(\.rawValue)
        return MessageInfo(uid: uid, size: size, flags: kept, internalDate: internalDate?.imapString ?? rawInternalDate)
    }
}

/// Wraps the fetch iterator so the body reader and the message loop share it.
final class FetchCursor {
    private var iterator: FetchStream.Iterator

    init(_ iterator: FetchStream.Iterator) { self.iterator = iterator }

    func next() async throws -> FetchEvent? { try await iterator.next() }

    /// Reads past a body the reader did not ask for (e.g. an unexpected section).
    func skipBody() async throws {
        while let event = try await next() {
            if case .streamingEnd = event { return }
        }
    }
}

/// A message body as it streams out of a FETCH response (or out of a spool file).
public struct FetchBodyReader: MessageBodyReader {
    private let cursor: FetchCursor?
    private var spool: SpooledBody?
    private var remaining: Int
    private var ended = false

    init(cursor: FetchCursor, remaining: Int) {
        self.cursor = cursor
        self.remaining = remaining
    }

    init(spool: SpooledBody) {
        self.cursor = nil
        self.spool = spool
        self.remaining = spool.byteCount
    }

    public mutating func next() async throws -> ByteBuffer? {
        if var spool {
            defer { self.spool = spool }
            return try spool.next()
        }
        guard !ended, let cursor else { return nil }
        while let event = try await cursor.next() {
            switch event {
            case .streamingBytes(let chunk):
                remaining -= chunk.readableBytes
                return chunk
            case .streamingEnd:
                ended = true
                return nil
            default:
                throw TransferError(.connectionLost, "the server's FETCH response ended inside a message body")
            }
        }
        ended = true
        throw TransferError(.connectionLost, "the connection ended inside a message body")
    }

    /// Consumes whatever the receiver left unread, so the stream stays in step.
    mutating func drain() async throws {
        while try await next() != nil {}
    }
}
