import NIOConcurrencyHelpers
import NIOCore

/// Counts commands awaiting completion, shared by the session and `ReadTimeoutHandler`, and
/// remembers a timeout so that the session reports it rather than the closed channel it
/// leaves behind.
final class InFlightCounter: Sendable {
    private let count = NIOLockedValueBox(0)
    private let timeout = NIOLockedValueBox<IMAPClientError?>(nil)

    func increment() { count.withLockedValue { $0 += 1 } }
    func decrement() { count.withLockedValue { $0 = max(0, $0 - 1) } }
    var isBusy: Bool { count.withLockedValue { $0 > 0 } }

    /// Set once the read timeout has closed the connection.
    var timeoutError: IMAPClientError? {
        get { timeout.withLockedValue { $0 } }
        set { timeout.withLockedValue { $0 = newValue } }
    }
}

/// Closes the connection with `IMAPClientError.timeout` when the server is silent for the
/// read timeout while a command is in flight. An idle connection with nothing pending is
/// left alone, and so is one whose own writes are still going out: a server waiting for the
/// rest of a long APPEND literal is silent, not stalled.
final class ReadTimeoutHandler: ChannelDuplexHandler {
    typealias InboundIn = NIOAny
    typealias OutboundIn = NIOAny

    private let timeout: TimeAmount
    private let inFlight: InFlightCounter
    private var scheduled: Scheduled<Void>?

    init(timeout: TimeAmount, inFlight: InFlightCounter) {
        self.timeout = timeout
        self.inFlight = inFlight
    }

    func handlerRemoved(context: ChannelHandlerContext) { cancel() }

    /// A read is outstanding from here until the next read completes: only then does
    /// silence count. While the consumer applies backpressure no read is requested and
    /// the clock is stopped.
    func read(context: ChannelHandlerContext) {
        rearm(context: context)
        context.read()
    }

    /// Bytes reaching the socket show the connection is alive: restart the clock if it runs.
    /// A peer that stops reading fills the socket buffer, writes stop completing, and the
    /// timeout fires as it should.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let written = promise ?? context.eventLoop.makePromise()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        written.futureResult.whenSuccess {
            let (handler, context) = loopBound.value
            if handler.scheduled != nil { handler.rearm(context: context) }
        }
        context.write(data, promise: written)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        cancel()
        context.fireChannelInactive()
    }

    private func cancel() {
        scheduled?.cancel()
        scheduled = nil
    }

    private func rearm(context: ChannelHandlerContext) {
        cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        scheduled = context.eventLoop.scheduleTask(in: timeout) {
            let (handler, context) = loopBound.value
            handler.fire(context: context)
        }
    }

    private func fire(context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        guard inFlight.isBusy else {
            rearm(context: context)
            return
        }
        let error = IMAPClientError(.timeout, "the server sent nothing for \(Self.describe(timeout)) while a command was waiting; the connection was closed")
        inFlight.timeoutError = error
        context.fireErrorCaught(error)
        context.close(promise: nil)
    }

    /// `120 s`, or `500 ms` for timeouts under a second.
    static func describe(_ amount: TimeAmount) -> String {
        amount.nanoseconds >= 1_000_000_000 ? "\(amount.nanoseconds / 1_000_000_000) s" : "\(amount.nanoseconds / 1_000_000) ms"
    }
}
