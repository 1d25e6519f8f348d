import IMAPProtocol
import NIOCore

/// Turns the byte stream from the server into `ResponseEvent`s with `ResponseParser`.
/// Body literals come out as chunks of whatever has arrived.
struct ResponseDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ResponseEvent

    private var parser: ResponseParser

    init(limits: ParserLimits) {
        self.parser = ResponseParser(limits: limits)
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> ResponseEvent? {
        try parser.parse(&buffer)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ResponseEvent? {
        try parser.parse(&buffer)
    }
}
