package io.switchboard.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.flow.FlowControlHandler;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * Backpressure on an HTTP port whose peer stops reading (DESIGN §10). Answers wait in a small outbound buffer (high
 * mark {@value #HIGH_WATER_MARK} bytes, low {@value #LOW_WATER_MARK}); past the high mark the connection is not read,
 * so a peer that pipelines requests and takes no answers gets nothing more answered (each answer would wait in direct
 * memory) until it reads them down to the low mark; and a connection that stays so for the deadline, on the injected
 * ticker, is closed. An idle timer does not catch such a peer: its requests keep arriving.
 *
 * <p>Requests decoded from the last read wait here rather than reach the port's handler: one read can hold hundreds of
 * pipelined GETs, so turning reads off alone would not stop them. They count against the HTTP codec's cap of 128
 * requests waiting for their answers, past which it ends the connection. Put it after the HTTP codec and the checks of
 * requests, before the aggregator.
 */
public final class WriteBackpressure extends FlowControlHandler {
    private static final Logger log = LoggerFactory.getLogger(WriteBackpressure.class);
    public static final int LOW_WATER_MARK = 32 * 1_024;
    public static final int HIGH_WATER_MARK = 64 * 1_024;
    /** How long a connection may hold answers its peer does not take. */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);

    private final TickerDeadline unwritable;

    public WriteBackpressure(Ticker ticker) {
        this(ticker, DEFAULT_DEADLINE);
    }

    public WriteBackpressure(Ticker ticker, Duration deadline) {
        this.unwritable = new TickerDeadline(ticker, deadline, ctx -> {
            // Nothing can be said to a peer that does not read: the connection just ends.
            log.debug("{}: closed, its peer took no answers for {}", ctx.channel().remoteAddress(),
                    TickerDeadline.say(deadline));
            ctx.close();
        });
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
        super.handlerAdded(ctx);
        ctx.channel().config().setWriteBufferWaterMark(new WriteBufferWaterMark(LOW_WATER_MARK, HIGH_WATER_MARK));
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        boolean writable = ctx.channel().isWritable();
        if (writable) {
            unwritable.stop();
        } else {
            unwritable.start(ctx);
        }
        ctx.fireChannelWritabilityChanged();
        // Back on, the requests held here go on first, then the socket is read again.
        ctx.channel().config().setAutoRead(writable);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        unwritable.stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        unwritable.stop();
        super.handlerRemoved(ctx);
    }
}
