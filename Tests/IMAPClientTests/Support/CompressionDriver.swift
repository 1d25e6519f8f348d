@testable import IMAPClient
import NIOCore
import NIOEmbedded

/// Drives a `DeflateCompressionHandler` in an `EmbeddedChannel` the way a live pipeline
/// does: writes and flushes going out, reads asked for and chunks collected coming in.
final class CompressionDriver {
    let channel: EmbeddedChannel
    /// Largest buffer the handler passed inbound / outbound so far.
    private(set) var largestInboundChunk = 0
    private(set) var largestOutboundChunk = 0
    private(set) var inboundChunks = 0

    init(chunkSize: Int = DeflateCompressionHandler.defaultChunkSize, level: Int32 = 1) throws {
        channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(DeflateCompressionHandler(chunkSize: chunkSize, level: level))
    }

    /// Writes `data` as `pieces`, flushing after every `flushEvery` pieces and at the end.
    /// Returns what went to the network.
    func compress(_ data: [UInt8], pieces: [Int], flushEvery: Int = 1) throws -> [UInt8] {
        var offset = 0
        for (index, size) in pieces.enumerated() {
            channel.write(ByteBuffer(bytes: data[offset..<offset + size]), promise: nil)
            offset += size
            if (index + 1) % flushEvery == 0 { channel.flush() }
        }
        channel.flush()
        return try readOutbound()
    }

    /// Everything written to the network so far.
    func readOutbound() throws -> [UInt8] {
        var sent: [UInt8] = []
        while let chunk = try channel.readOutbound(as: ByteBuffer.self) {
            largestOutboundChunk = max(largestOutboundChunk, chunk.readableBytes)
            sent.append(contentsOf: chunk.readableBytesView)
        }
        return sent
    }

    /// Feeds `compressed` as `pieces`, asking for more whenever the handler holds a backlog
    /// (after every `drainEvery` pieces and at the end). Returns the inflated bytes.
    func inflate(_ compressed: [UInt8], pieces: [Int], drainEvery: Int = 1) throws -> [UInt8] {
        var received: [UInt8] = []
        let whole = ByteBuffer(bytes: compressed)
        var offset = 0
        for (index, size) in pieces.enumerated() {
            try feed(whole.getSlice(at: offset, length: size)!)
            offset += size
            if (index + 1) % drainEvery == 0 { try drain(into: &received) }
        }
        try drain(into: &received)
        return received
    }

    /// Passes `bytes` up the pipeline as one read from the network. (`writeInbound` copies
    /// every buffered message on each call, which is quadratic for megabytes of 1-byte reads.)
    func feed(_ bytes: ByteBuffer) throws {
        channel.pipeline.syncOperations.fireChannelRead(NIOAny(bytes))
        channel.pipeline.syncOperations.fireChannelReadComplete()
        try channel.throwIfErrorCaught()
    }

    /// Collects inbound chunks, then keeps issuing `read()` until nothing more comes.
    func drain(into received: inout [UInt8]) throws {
        _ = try collectInbound(into: &received)
        repeat {
            channel.read()
            channel.embeddedEventLoop.run()
        } while try collectInbound(into: &received)
    }

    /// Appends the inbound chunks waiting in the channel; true when there was any.
    func collectInbound(into received: inout [UInt8]) throws -> Bool {
        var any = false
        while let chunk = try channel.readInbound(as: ByteBuffer.self) {
            any = true
            inboundChunks += 1
            largestInboundChunk = max(largestInboundChunk, chunk.readableBytes)
            received.append(contentsOf: chunk.readableBytesView)
        }
        return any
    }
}
