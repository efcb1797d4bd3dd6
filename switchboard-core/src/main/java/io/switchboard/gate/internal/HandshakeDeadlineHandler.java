package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;

import java.time.Duration;

/**
 * Closes a connection that has not completed the Pomelo handshake (up to its ack) within the handshake timeout of
 * connecting, whatever it sent meanwhile: nothing, heartbeats, part of a TLS or HTTP request. It is the first handler
 * of every connection, so the deadline also covers telling the transports apart, TLS and the WebSocket upgrade; it
 * leaves once the session is established. Time is read from the injected {@link Ticker}; the check runs every
 * {@code checkInterval}.
 */
final class HandshakeDeadlineHandler extends ChannelInboundHandlerAdapter {
    private final Ticker ticker;
    private final long timeoutNanos;
    private final GateMetrics metrics;
    private final PeriodicCheck check;
    private long connectedNanos;

    HandshakeDeadlineHandler(Ticker ticker, Duration timeout, Duration checkInterval, GateMetrics metrics) {
        this.ticker = ticker;
        this.timeoutNanos = timeout.toNanos();
        this.check = new PeriodicCheck(checkInterval.toNanos());
        this.metrics = metrics;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        connectedNanos = ticker.nanoTime();
        check.start(ctx, () -> check(ctx));
    }

    /** Removed at the ack, or with the rest of the pipeline when the channel closes. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        check.cancel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == GateEvents.ESTABLISHED) {
            ctx.pipeline().remove(this);
        }
        super.userEventTriggered(ctx, evt);
    }

    private void check(ChannelHandlerContext ctx) {
        if (ticker.nanoTime() - connectedNanos < timeoutNanos) {
            return;
        }
        check.cancel();
        if (GateChannelInitializer.carriesPackages(ctx.pipeline())) {
            Kicks.kick(ctx.channel(), KickCode.HANDSHAKE_TIMEOUT, KickReasons.HANDSHAKE_TIMEOUT, metrics);
        } else {
            // Still sniffing, in TLS or in HTTP: a Pomelo kick package would be garbage to the client.
            Kicks.close(ctx.channel(), KickCode.HANDSHAKE_TIMEOUT, KickReasons.HANDSHAKE_TIMEOUT, metrics);
        }
    }
}
