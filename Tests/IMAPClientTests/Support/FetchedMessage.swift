import IMAPClient
import IMAPProtocol
import NIOCore

/// One message as a `UID FETCH` stream delivered it, reassembled for assertions.
struct FetchedMessage: Sendable, Hashable {
    var sequenceNumber: UInt32
    var uid: UInt32?
    var flags: [Flag]?
    var internalDate: InternalDate?
    var size: UInt64?
    /// The `BODY[]` bytes, when the body was fetched.
    var body: [UInt8]?
    /// The literal size announced in `.streamingBegin`.
    var announcedBodySize: Int?

    /// The usual items for a full message.
    static let allItems: [FetchItem] = [.uid, .flags, .internalDate, .rfc822Size, .bodyPeek(section: "")]
}

extension FetchStream {
    /// Reads the whole stream, checking the event grammar on the way (start … finish,
    /// streamingBegin … streamingEnd) and returning one value per FETCH response.
    func collect() async throws -> [FetchedMessage] {
        var messages: [FetchedMessage] = []
        var current: FetchedMessage?
        var streaming = false
        for try await event in self {
            switch event {
            case .start(let number):
                guard current == nil else { throw FixtureError("FETCH \(number) started inside another") }
                current = FetchedMessage(sequenceNumber: number)
            case .attribute(let attribute):
                guard current != nil else { throw FixtureError("attribute outside a FETCH response") }
                switch attribute {
                case .uid(let uid): current?.uid = uid
                case .flags(let flags): current?.flags = flags
                case .internalDate(let date): current?.internalDate = date
                case .rfc822Size(let size): current?.size = size
                default: break
                }
            case .streamingBegin(_, let byteCount):
                guard current != nil, !streaming else { throw FixtureError("misplaced streamingBegin") }
                streaming = true
                current?.announcedBodySize = byteCount
                current?.body = []
                current?.body?.reserveCapacity(byteCount)
            case .streamingBytes(let chunk):
                guard streaming else { throw FixtureError("streamingBytes outside a body") }
                current?.body?.append(contentsOf: chunk.readableBytesView)
            case .streamingEnd:
                guard streaming else { throw FixtureError("streamingEnd without streamingBegin") }
                streaming = false
            case .finish:
                guard let done = current, !streaming else { throw FixtureError("misplaced finish") }
                messages.append(done)
                current = nil
            }
        }
        guard current == nil else { throw FixtureError("the stream ended inside a FETCH response") }
        return messages
    }
}
