import IMAPProtocol
import NIOCore

/// Turns the byte stream from the server into `ResponseEvent`s with `ResponseParser`.
/// Body literals come out as chunks of whatever has arrived. Refuses plain-text bytes that
/// follow the response to STARTTLS (see `PlaintextBoundary`).
struct ResponseDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ResponseEvent

    private var parser: ResponseParser
    private let boundary: PlaintextBoundary

    init(limits: ParserLimits, boundary: PlaintextBoundary) {
        self.parser = ResponseParser(limits: limits)
        self.boundary = boundary
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> ResponseEvent? {
        if let next = boundary.closedFor, buffer.readableBytes > 0 {
            switch next {
            case .tls:
                throw IMAPClientError(
                    .tlsFailed,
                    "the server sent \(buffer.readableBytes) bytes of plain text after accepting STARTTLS; someone on the network may be tampering with the connection"
                )
            case .compression:
                throw IMAPClientError(
                    .protocolViolation,
                    "the server sent \(buffer.readableBytes) bytes after accepting COMPRESS before compression began"
                )
            }
        }
        let event = try parser.parse(&buffer)
        if case .tagged(let tagged)? = event { boundary.passed(tag: tagged.tag) }
        return event
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ResponseEvent? {
        try decode(buffer: &buffer)
    }
}
