import IMAPProtocol
import NIOCore

/// One APPEND command being written, with one message or several (RFC 3502 MULTIAPPEND).
/// Bodies are written in chunks, so a message is never needed whole in memory.
///
/// ```
/// C: C9 APPEND INBOX (\Seen) "17-Jul-1996 02:44:25 -0700" {310+}
/// C: <310 bytes> (\Flagged) "18-Jul-1996 09:00:00 +0200" {52+}
/// C: <52 bytes>
/// S: C9 OK [APPENDUID 38505 3955:3956] APPEND completed
/// ```
/// Call `beginMessage`, `write` until the announced size is sent, repeat for more messages
/// when the server has MULTIAPPEND, then `finish` and `IMAPSession.complete(tag)`.
public final class AppendCommand {
    let session: IMAPSession
    public let tag: String
    var remaining = 0
    var messages = 0
    /// Set when the server answered the command before its literal (e.g. `NO [TOOBIG]`).
    public private(set) var refused = false

    init(session: IMAPSession, tag: String) {
        self.session = session
        self.tag = tag
    }

    /// Announces the next message. Returns false when the server refused the command before
    /// the literal (only possible with synchronising literals): then call `finish` at once
    /// and `complete(tag)` reports why.
    public func beginMessage(_ header: AppendMessageHeader) async throws -> Bool {
        precondition(remaining == 0, "the previous message body is incomplete")
        guard !refused else { return false }
        if messages > 0 && !session.supports(.multiAppend) {
            throw IMAPClientError(.invalidConfiguration, "the server does not support MULTIAPPEND")
        }
        do {
            try await session.write(session.encoder.encodeAppendMessage(header), tag: tag)
        } catch is ContinuationRefused {
            refused = true
            return false
        }
        remaining = header.byteCount
        messages += 1
        return true
    }

    /// Sends the next chunk of the current message's body, in writes of at most 64 KiB: each
    /// waits until the connection can take more, so neither NIO nor TLS buffers grow with
    /// the size of a message.
    public func write(_ chunk: ByteBuffer) async throws {
        guard chunk.readableBytes <= remaining else {
            throw IMAPClientError(.invalidConfiguration, "message body longer than its announced size")
        }
        remaining -= chunk.readableBytes
        var rest = chunk
        while let slice = rest.readSlice(length: min(rest.readableBytes, Self.writeSize)), slice.readableBytes > 0 {
            try await session.writeRaw(slice)
        }
    }

    static let writeSize = 64 * 1024

    /// Ends the command (CRLF) and returns its tag for `IMAPSession.complete`.
    public func finish() async throws -> String {
        guard remaining == 0 else {
            throw IMAPClientError(.invalidConfiguration, "message body shorter than its announced size (\(remaining) bytes missing)")
        }
        if !refused { try await session.writeRaw(session.encoder.encodeAppendEnd()) }
        return tag
    }
}

extension IMAPSession {
    /// Starts `APPEND mailbox`; the messages follow through the returned command.
    public func beginAppend(to mailbox: MailboxName) async throws -> AppendCommand {
        let tag = makeTag()
        let encoded: EncodedCommand
        do {
            encoded = try encoder.encodeAppendStart(tag: tag, mailbox: mailbox)
        } catch {
            throw IMAPClientError(.invalidConfiguration, "cannot encode the mailbox name \(mailbox): \(error)", cause: error)
        }
        logger.trace("C: \(tag) APPEND \(mailbox)")
        inFlight.increment()
        try await write(encoded, tag: tag)
        return AppendCommand(session: self, tag: tag)
    }

    /// APPENDs one message held in memory; returns the UID from `[APPENDUID]` when offered.
    @discardableResult
    public func append(to mailbox: MailboxName, flags: [Flag], internalDate: InternalDate?, message: ByteBuffer) async throws -> UInt32? {
        let command = try await beginAppend(to: mailbox)
        if try await command.beginMessage(AppendMessageHeader(flags: flags, internalDate: internalDate, byteCount: message.readableBytes)) {
            try await command.write(message)
        }
        let tag = try await command.finish()
        let response = try await complete(tag)
        if case .appendUID(_, let uids)? = response.code, let first = uids.first { return first.lowerBound }
        return nil
    }
}
