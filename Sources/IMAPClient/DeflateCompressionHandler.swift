import NIOCore

/// COMPRESS=DEFLATE on the wire (RFC 4978 §4): inflates what the server sends and deflates
/// what the client writes. It sits between TLS and the IMAP decoder:
///
/// ```
/// inbound:  TLS -> inflate -> ResponseDecoder
/// outbound: command encoder -> deflate (Z_SYNC_FLUSH on every flush) -> TLS
/// ```
///
/// Inflated data goes on in chunks of at most `chunkSize` bytes, one chunk per `read()` the
/// pipeline asks for: when NIOAsyncChannel's backpressure stops asking, the rest stays
/// compressed here, so a stream that inflates enormously is never expanded all at once.
/// A corrupt stream fires `IMAPClientError.protocolViolation` and closes the connection.
final class DeflateCompressionHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Largest inflated buffer handed to the decoder, and largest deflated write.
    static let defaultChunkSize = 64 * 1024

    let chunkSize: Int
    private let inflater: RawInflater
    private let deflater: RawDeflater
    /// Compressed bytes from the server not inflated yet.
    private var compressedInput = ByteBuffer()
    /// The last inflate call filled its chunk: zlib may hold more output.
    private var mayHaveMoreOutput = false
    private var failed = false
    private var readScheduled = false
    /// Bytes went into the deflater since the last Z_SYNC_FLUSH.
    private var unflushedInput = false
    /// Promises of writes whose bytes are still inside the deflater.
    private var pendingPromises: [EventLoopPromise<Void>] = []

    init(chunkSize: Int = defaultChunkSize, level: Int32 = 1) throws {
        self.chunkSize = chunkSize
        self.inflater = try RawInflater()
        self.deflater = try RawDeflater(level: level, chunkSize: chunkSize)
    }

    /// Compressed input or inflated output is waiting for the pipeline to ask for it.
    private var hasBacklog: Bool { compressedInput.readableBytes > 0 || mayHaveMoreOutput }

    func handlerRemoved(context: ChannelHandlerContext) {
        inflater.close()
        deflater.close()
        let promises = pendingPromises
        pendingPromises = []
        for promise in promises { promise.fail(ChannelError.ioOnClosedChannel) }
    }

    // MARK: Inbound: inflate

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !failed else { return }
        var incoming = unwrapInboundIn(data)
        if compressedInput.readableBytes == 0 {
            compressedInput = incoming
        } else {
            compressedInput.writeBuffer(&incoming)
        }
        emitChunk(context: context)
    }

    /// With a backlog, the demand is met from it (and the next one requested once this chunk
    /// is on its way); without one, the read goes on to the socket.
    func read(context: ChannelHandlerContext) {
        guard hasBacklog, !failed else {
            context.read()
            return
        }
        emitChunk(context: context)
        context.fireChannelReadComplete()
        if hasBacklog && !failed {
            scheduleRead(context: context)
        } else if !failed {
            context.read()
        }
    }

    /// Whatever the server sent before closing is still delivered, then the close.
    func channelInactive(context: ChannelHandlerContext) {
        var emitted = false
        while hasBacklog && !failed {
            guard emitChunk(context: context) else { break }
            emitted = true
        }
        if emitted { context.fireChannelReadComplete() }
        context.fireChannelInactive()
    }

    /// Inflates at most one chunk and passes it on. Returns false when nothing moved.
    @discardableResult
    private func emitChunk(context: ChannelHandlerContext) -> Bool {
        let before = compressedInput.readableBytes
        var chunk = context.channel.allocator.buffer(capacity: 0)
        do {
            mayHaveMoreOutput = try inflater.inflate(&compressedInput, into: &chunk, limit: chunkSize)
        } catch {
            fail(context: context, error: error)
            return false
        }
        if compressedInput.readableBytes == 0 {
            compressedInput = ByteBuffer()
        } else if compressedInput.readerIndex >= chunkSize {
            compressedInput.discardReadBytes()
        }
        guard chunk.readableBytes > 0 else { return compressedInput.readableBytes != before }
        context.fireChannelRead(wrapInboundOut(chunk))
        return true
    }

    /// Asks for more through the whole pipeline, so NIOAsyncChannel can hold the request back.
    private func scheduleRead(context: ChannelHandlerContext) {
        guard !readScheduled else { return }
        readScheduled = true
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        context.eventLoop.execute {
            let (handler, context) = loopBound.value
            handler.readScheduled = false
            guard !handler.failed else { return }
            context.channel.read()
        }
    }

    private func fail(context: ChannelHandlerContext, error: any Error) {
        failed = true
        compressedInput = ByteBuffer()
        mayHaveMoreOutput = false
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    // MARK: Outbound: deflate

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let buffer = unwrapOutboundIn(data)
        do {
            try deflater.compress(buffer) { chunk in
                context.write(wrapOutboundOut(chunk), promise: nil)
            }
        } catch {
            promise?.fail(error)
            return
        }
        if buffer.readableBytes > 0 { unflushedInput = true }
        if let promise { pendingPromises.append(promise) }
    }

    /// Z_SYNC_FLUSH, so that the server receives every byte written so far (RFC 4978 §6),
    /// then the flush itself. The pending writes succeed when the flushed bytes are written.
    func flush(context: ChannelHandlerContext) {
        var chunks: [ByteBuffer] = []
        var failure: (any Error)?
        if unflushedInput {
            unflushedInput = false
            do {
                try deflater.syncFlush { chunks.append($0) }
            } catch {
                failure = error
            }
        }
        let promises = pendingPromises
        pendingPromises = []
        if let failure {
            for promise in promises { promise.fail(failure) }
            context.fireErrorCaught(failure)
            context.close(promise: nil)
            return
        }
        var completion: EventLoopPromise<Void>?
        if !promises.isEmpty {
            let done = context.eventLoop.makePromise(of: Void.self)
            for promise in promises { done.futureResult.cascade(to: promise) }
            completion = done
            if chunks.isEmpty { chunks.append(ByteBuffer()) }
        }
        for (index, chunk) in chunks.enumerated() {
            context.write(wrapOutboundOut(chunk), promise: index == chunks.count - 1 ? completion : nil)
        }
        context.flush()
    }
}
