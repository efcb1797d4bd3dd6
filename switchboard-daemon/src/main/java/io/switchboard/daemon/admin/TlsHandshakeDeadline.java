package io.switchboard.daemon.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.common.time.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose TLS handshake is not done within the deadline of its connect, on the injected ticker
 * (DESIGN §10). The port's other deadlines do not bound a handshake: the request deadline starts only with bytes read
 * and its 408 would wait behind the handshake unsent, and the idle timer counts only what passes the TLS handler.
 * Goes right after the TLS handler, and leaves the pipeline once the handshake is done.
 */
final class TlsHandshakeDeadline extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(TlsHandshakeDeadline.class);
    /** How often the ticker is looked at, in real time (a test's manual ticker moves without real time passing). */
    static final Duration CHECK_EVERY = Duration.ofMillis(250);

    private final Ticker ticker;
    private final Duration timeout;
    private long connectedAt;
    private ScheduledFuture<?> check;

    TlsHandshakeDeadline(Ticker ticker, Duration timeout) {
        this.ticker = ticker;
        this.timeout = timeout;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectedAt = ticker.nanoTime();
        long every = CHECK_EVERY.toNanos();
        check = ctx.executor().scheduleAtFixedRate(() -> closeIfLate(ctx), every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    private void closeIfLate(ChannelHandlerContext ctx) {
        if (ticker.nanoTime() - connectedAt >= timeout.toNanos()) {
            stop();
            log.debug("{}: closed, its TLS handshake was not done within {}", ctx.channel().remoteAddress(), timeout);
            ctx.close();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        ctx.fireUserEventTriggered(event);
        if (event instanceof SslHandshakeCompletionEvent) {
            // Done or failed (the TLS handler closes a failed one): either way nothing is left to time.
            ctx.pipeline().remove(this);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        stop();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }

    private void stop() {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }
}
