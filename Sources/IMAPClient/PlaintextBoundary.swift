import NIOConcurrencyHelpers

/// Where the current byte stream must end when the connection switches to TLS (STARTTLS) or
/// to DEFLATE (COMPRESS, RFC 4978 §3), shared by the session and `ResponseDecoder` (RFC 3501
/// §6.2.1, RFC 7817 §3.1).
///
/// ```
/// C: C2 STARTTLS
/// S: C2 OK Begin TLS negotiation now
/// S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected    <- must never be believed
/// ```
/// Bytes after the tagged response to STARTTLS and before TLS is in place were not sent
/// through TLS, yet would be read as if they were: an attacker on the path could inject
/// responses ("STARTTLS response injection", CVE-2011-0411 and its client-side kin). The
/// decoder refuses any such byte and the session fails with `.tlsFailed`. After COMPRESS the
/// same bytes would be compressed data read as text: `.protocolViolation`.
final class PlaintextBoundary: Sendable {
    /// What the connection switches to.
    enum Switch: Sendable {
        case tls
        case compression
    }

    private enum State {
        /// No switch in progress.
        case open
        /// The command was sent with this tag; its tagged response is the last byte before
        /// the switch.
        case endsAfter(tag: String, Switch)
        /// The response was read: nothing more may arrive until the new handler is installed.
        case closed(Switch)
    }

    private let state = NIOLockedValueBox(State.open)

    /// STARTTLS (or COMPRESS) is about to be sent with `tag`.
    func endAfterResponse(to tag: String, switchingTo next: Switch = .tls) {
        state.withLockedValue { $0 = .endsAfter(tag: tag, next) }
    }

    /// The new layer is in place (or the command was refused): bytes are allowed again.
    func reopen() {
        state.withLockedValue { $0 = .open }
    }

    /// Called by the decoder for every tagged response it produces.
    func passed(tag: String) {
        state.withLockedValue { state in
            if case .endsAfter(let awaited, let next) = state, awaited == tag { state = .closed(next) }
        }
    }

    /// The switch being waited for when bytes are not allowed now, nil when they are.
    var closedFor: Switch? {
        state.withLockedValue { state in
            if case .closed(let next) = state { return next }
            return nil
        }
    }
}
