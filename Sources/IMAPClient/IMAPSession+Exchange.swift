import IMAPProtocol
import NIOCore
import NIOSSL

/// What a completed command returned: its untagged data and its tagged OK.
public struct CommandResponse: Sendable {
    public var untagged: [UntaggedResponse]
    public var completion: TaggedResponse

    /// The response code of the tagged OK (e.g. `[APPENDUID ...]`, `[READ-WRITE]`).
    public var code: ResponseCode? { completion.state.code }
}

extension IMAPSession {
    /// Sends a command and waits for its completion. NO and BAD become `IMAPClientError`.
    @discardableResult
    public func execute(_ command: Command) async throws -> CommandResponse {
        let tag = try await send(command)
        return try await complete(tag)
    }

    /// Writes a command (waiting for `+` between synchronising literals) and returns its tag.
    public func send(_ command: Command) async throws -> String {
        let tag = makeTag()
        let encoded: EncodedCommand
        do {
            encoded = try encoder.encode(command, tag: tag)
        } catch {
            throw IMAPClientError(.invalidConfiguration, "cannot encode \(command.redactedDescription): \(error)", cause: error)
        }
        logger.trace("C: \(tag) \(command.redactedDescription)")
        inFlight.increment()
        do {
            try await write(encoded, tag: tag)
        } catch is ContinuationRefused {
            // The tagged refusal is stored; `complete(tag)` reports it.
        }
        return tag
    }

    /// Writes encoded parts of command `tag`; at `.waitForContinuation` waits for the server's `+`.
    func write(_ encoded: EncodedCommand, tag: String) async throws {
        var pending: [ByteBuffer] = []
        for part in encoded.parts {
            switch part {
            case .bytes(let buffer):
                pending.append(buffer)
            case .waitForContinuation:
                try await flush(&pending)
                _ = try await awaitContinuation(for: tag)
            }
        }
        try await flush(&pending)
    }

    func flush(_ pending: inout [ByteBuffer]) async throws {
        guard !pending.isEmpty else { return }
        do {
            try await outbound.write(contentsOf: pending)
        } catch {
            throw disconnectionError(cause: error)
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// Writes raw bytes (message bodies inside APPEND, SASL responses).
    ///
    /// The channel's writer hands each write to the event loop and returns before the loop
    /// has run it, so its view of the channel's writability lags behind: a fast producer (a
    /// crate read from the page cache) could queue megabytes of writes, each pinning its own
    /// TLS buffer, before the socket's back-pressure reached it. Every `writeBarrierBytes`
    /// the session waits for the event loop to catch up; then the next write waits for as
    /// long as the socket is full.
    func writeRaw(_ buffer: ByteBuffer) async throws {
        do {
            try await outbound.write(buffer)
            unsettledBytes += buffer.readableBytes
            if unsettledBytes >= Self.writeBarrierBytes {
                unsettledBytes = 0
                try await channel.eventLoop.submit {}.get()
            }
        } catch {
            throw disconnectionError(cause: error)
        }
    }

    static let writeBarrierBytes = 64 * 1024

    /// Reads until a `+` continuation arrives for command `tag`, keeping other data for
    /// later; a tagged response for `tag` instead throws `ContinuationRefused`.
    func awaitContinuation(for tag: String) async throws -> String {
        while true {
            let event = try await nextEvent()
            switch event {
            case .continuation(let text):
                return text
            case .tagged(let tagged):
                store(tagged)
                // The command was refused before its literal (e.g. NO [TOOBIG]).
                if tagged.tag == tag { throw ContinuationRefused(tagged: tagged) }
            case .untagged(let response):
                try record(response)
            case .fetch:
                continue
            }
        }
    }

    /// Waits for the tagged completion of `tag`. NO/BAD throw with the server's response.
    public func complete(_ tag: String) async throws -> CommandResponse {
        let tagged = try await waitForTagged(tag)
        issuedTags.remove(tag)
        inFlight.decrement()
        let collected = untagged
        untagged.removeAll()
        switch tagged.state.status {
        case .ok:
            if case .capability(let list)? = tagged.state.code { capabilities = Set(list) }
            return CommandResponse(untagged: collected, completion: tagged)
        case .no:
            throw IMAPClientError(.commandFailed, "the server refused the command: \(tagged.state.text)", response: tagged.state)
        default:
            throw IMAPClientError(.commandRejected, "the server rejected the command as invalid: \(tagged.state.text)", response: tagged.state)
        }
    }

    func waitForTagged(_ tag: String) async throws -> TaggedResponse {
        if let done = finished.removeValue(forKey: tag) { return done }
        while true {
            let event = try await nextEvent()
            switch event {
            case .tagged(let tagged) where tagged.tag == tag:
                return tagged
            case .tagged(let tagged):
                store(tagged)
            case .untagged(let response):
                try record(response)
            case .continuation, .fetch:
                continue
            }
        }
    }

    /// Keeps untagged data for the next completion, noting capabilities and BYE on the way.
    /// More than `maximumUntaggedResponses` waiting at once is a server flooding the client:
    /// `.protocolViolation` rather than memory without end.
    func record(_ response: UntaggedResponse) throws {
        guard untagged.count < configuration.maximumUntaggedResponses else {
            throw IMAPClientError(
                .protocolViolation,
                "\(configuration.host) sent more than \(configuration.maximumUntaggedResponses) untagged responses for one command; "
                    + "the connection was given up")
        }
        switch response {
        case .capability(let list):
            capabilities = Set(list)
        case .status(let status) where status.status == .bye:
            byeResponse = status
        case .status(let status):
            if case .capability(let list)? = status.code { capabilities = Set(list) }
        default:
            break
        }
        untagged.append(response)
    }

    /// The next event from the server; a closed connection becomes `.disconnected`
    /// (or `.timeout`, `.tlsFailed`, `.protocolViolation` when that was the cause).
    func nextEvent() async throws -> ResponseEvent {
        let event: ResponseEvent?
        do {
            event = try await inbound.next()
        } catch {
            isClosed = true
            throw translate(error)
        }
        guard let event else {
            isClosed = true
            throw disconnectionError(cause: nil)
        }
        return event
    }

    func translate(_ error: any Error) -> IMAPClientError {
        switch error {
        case let error as IMAPClientError:
            return error
        case let error as IMAPProtocolError:
            return IMAPClientError(.protocolViolation, "the server sent a response imapcrate cannot parse: \(error.message)", cause: error)
        case let error as NIOSSLError:
            return tlsError(error)
        case let error as BoringSSLError:
            return tlsError(error)
        default:
            return disconnectionError(cause: error)
        }
    }

    /// One readable line for a TLS failure, with the fix for the common case.
    func tlsError(_ error: any Error & Sendable) -> IMAPClientError {
        let detail = "\(error)"
        if detail.contains("CERTIFICATE_VERIFY_FAILED") {
            return IMAPClientError(
                .tlsFailed,
                "the TLS certificate of \(configuration.host) is not trusted (unknown issuer, expired, or issued for another name); for a private CA pass --ca-file PATH",
                cause: error
            )
        }
        return IMAPClientError(.tlsFailed, "TLS handshake with \(configuration.host) failed: \(detail)", cause: error)
    }

    func disconnectionError(cause: (any Error)?) -> IMAPClientError {
        isClosed = true
        if let timeout = inFlight.timeoutError { return timeout }
        if let bye = byeResponse {
            return IMAPClientError(.disconnected, "the server closed the connection: \(bye.text)", response: bye)
        }
        let reason = cause.map { ": \($0)" } ?? ""
        return IMAPClientError(.disconnected, "the connection to \(configuration.host) closed unexpectedly\(reason)", cause: cause.map { SendableDescription($0) })
    }
}

/// A command was answered with a tagged response where a `+` was expected.
struct ContinuationRefused: Error {
    var tagged: TaggedResponse
}

/// Carries a non-Sendable error as its description.
struct SendableDescription: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ error: any Error) { description = "\(error)" }
}
