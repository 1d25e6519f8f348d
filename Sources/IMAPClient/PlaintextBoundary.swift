import NIOConcurrencyHelpers

/// Where plain text must end on a STARTTLS connection, shared by the session and
/// `ResponseDecoder` (RFC 3501 §6.2.1, RFC 7817 §3.1).
///
/// ```
/// C: C2 STARTTLS
/// S: C2 OK Begin TLS negotiation now
/// S: * OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] injected    <- must never be believed
/// ```
/// Bytes after the tagged response to STARTTLS and before TLS is in place were not sent
/// through TLS, yet would be read as if they were: an attacker on the path could inject
/// responses ("STARTTLS response injection", CVE-2011-0411 and its client-side kin). The
/// decoder refuses any such byte and the session fails with `.tlsFailed`.
final class PlaintextBoundary: Sendable {
    private enum State {
        /// No STARTTLS in progress.
        case open
        /// STARTTLS was sent with this tag; its tagged response is the last plain-text byte.
        case endsAfter(tag: String)
        /// The STARTTLS response was read: nothing more may arrive until TLS is installed.
        case closed
    }

    private let state = NIOLockedValueBox(State.open)

    /// STARTTLS is about to be sent with `tag`.
    func endAfterResponse(to tag: String) {
        state.withLockedValue { $0 = .endsAfter(tag: tag) }
    }

    /// TLS is in place (or STARTTLS was refused): bytes are allowed again.
    func reopen() {
        state.withLockedValue { $0 = .open }
    }

    /// Called by the decoder for every tagged response it produces.
    func passed(tag: String) {
        state.withLockedValue { state in
            if case .endsAfter(let awaited) = state, awaited == tag { state = .closed }
        }
    }

    /// True when plain-text bytes are not allowed now.
    var isClosed: Bool {
        state.withLockedValue { state in
            if case .closed = state { return true }
            return false
        }
    }
}
