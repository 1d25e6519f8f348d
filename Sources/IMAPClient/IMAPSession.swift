import IMAPProtocol
import Logging
import NIOCore

/// One authenticated-or-not IMAP connection, used from one task at a time.
///
/// Commands may be pipelined: `send` writes a command and returns its tag at once,
/// `complete(tag)` waits for that command's tagged response. Untagged data that arrives in
/// between is collected and handed to whichever command's completion comes next.
/// Created by `IMAPConnection.withSession`; closed when that scope ends.
public final class IMAPSession {
    typealias Inbound = NIOAsyncChannelInboundStream<ResponseEvent>
    typealias Outbound = NIOAsyncChannelOutboundWriter<ByteBuffer>

    var inbound: Inbound.AsyncIterator
    let outbound: Outbound
    let channel: any Channel
    let inFlight: InFlightCounter
    let boundary: PlaintextBoundary
    let logger: Logger
    public let configuration: ConnectionConfiguration

    /// Capabilities from the greeting, a CAPABILITY response or a `[CAPABILITY]` code;
    /// refreshed after STARTTLS and after login.
    public internal(set) var capabilities: Set<Capability> = []
    /// True when the connection is protected by TLS (implicit, or after STARTTLS).
    public internal(set) var isEncrypted = false
    /// Bytes written since the event loop last caught up with the writes (see `writeRaw`).
    var unsettledBytes = 0
    /// True once COMPRESS=DEFLATE is active on the connection (RFC 4978).
    public internal(set) var isCompressed = false
    /// True once the server has said BYE or the connection ended.
    public internal(set) var isClosed = false

    var nextTagNumber = 1
    /// Tags of commands sent and not yet completed: only their tagged responses are kept.
    var issuedTags: Set<String> = []
    /// Tagged responses that arrived while another command was being waited for.
    var finished: [String: TaggedResponse] = [:]
    /// Untagged data not yet handed to a command.
    var untagged: [UntaggedResponse] = []
    /// Set when BYE arrives, to explain the disconnection that follows.
    var byeResponse: StatusResponse?

    var encoder: CommandEncoder {
        CommandEncoder(options: .init(
            literalPlus: capabilities.contains(.literalPlus),
            literalMinus: capabilities.contains(.literalMinus),
            utf8Accept: false
        ))
    }

    init(
        inbound: Inbound,
        outbound: Outbound,
        channel: any Channel,
        inFlight: InFlightCounter,
        boundary: PlaintextBoundary,
        configuration: ConnectionConfiguration,
        logger: Logger
    ) {
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
        self.channel = channel
        self.inFlight = inFlight
        self.boundary = boundary
        self.configuration = configuration
        self.logger = logger
        self.isEncrypted = configuration.security == .implicitTLS
    }

    /// True when the server announced the capability.
    public func supports(_ capability: Capability) -> Bool { capabilities.contains(capability) }

    /// The tag the next command will carry.
    var upcomingTag: String { "C\(nextTagNumber)" }

    func makeTag() -> String {
        defer { nextTagNumber += 1 }
        let tag = upcomingTag
        issuedTags.insert(tag)
        return tag
    }

    /// Keeps a tagged response for the command that will ask for it. A response for a tag
    /// this session never sent (or already completed) is a server bug: it is dropped, so it
    /// can neither complete a later command early nor pile up in memory.
    func store(_ tagged: TaggedResponse) {
        guard issuedTags.contains(tagged.tag) else {
            logger.debug("S: \(tagged.tag) \(tagged.state.status) for no command in flight; ignored")
            return
        }
        finished[tagged.tag] = tagged
    }
}
