package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;

import java.util.concurrent.TimeUnit;

/**
 * A check that runs on a connection's event loop every interval until cancelled: the handshake deadline's timer
 * (established connections are checked by their loop's {@link HeartbeatSweeps sweep} instead).
 */
final class PeriodicCheck {
    private final long intervalNanos;
    private ScheduledFuture<?> future;

    PeriodicCheck(long intervalNanos) {
        this.intervalNanos = intervalNanos;
    }

    void start(ChannelHandlerContext ctx, Runnable check) {
        future = ctx.executor().scheduleWithFixedDelay(check, intervalNanos, intervalNanos, TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (future != null) {
            future.cancel(false);
            future = null;
        }
    }
}
