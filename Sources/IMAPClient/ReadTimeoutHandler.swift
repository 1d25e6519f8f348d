import NIOConcurrencyHelpers
import NIOCore

/// Counts commands awaiting completion, shared by the session and `ReadTimeoutHandler`.
final class InFlightCounter: Sendable {
    private let count = NIOLockedValueBox(0)

    func increment() { count.withLockedValue { $0 += 1 } }
    func decrement() { count.withLockedValue { $0 = max(0, $0 - 1) } }
    var isBusy: Bool { count.withLockedValue { $0 > 0 } }
}

/// Closes the connection with `IMAPClientError.timeout` when the server is silent for the
/// read timeout while a command is in flight. An idle connection with nothing pending is
/// left alone.
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
        let seconds = timeout.nanoseconds / 1_000_000_000
        context.fireErrorCaught(
            IMAPClientError(.timeout, "the server sent nothing for \(seconds) s while a command was waiting; the connection was closed")
        )
        context.close(promise: nil)
    }
}
