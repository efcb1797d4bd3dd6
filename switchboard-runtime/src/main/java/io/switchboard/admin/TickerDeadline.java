package io.switchboard.admin;

import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One deadline of a connection, measured on the injected {@link Ticker}: while it runs it is looked at on the
 * channel's event loop every {@link #CHECK_EVERY} of real time (a manual ticker moves without real time passing), and
 * a connection with no deadline running holds no timer. Confined to the channel's event loop.
 */
final class TickerDeadline {
    static final Duration CHECK_EVERY = Duration.ofMillis(250);

    private final Ticker ticker;
    private final long timeout;
    private final Consumer<ChannelHandlerContext> expired;
    private long started;
    private boolean running;
    private ScheduledFuture<?> check;

    /** @param expired what to do with the connection once the deadline passed; runs on its event loop */
    TickerDeadline(Ticker ticker, Duration timeout, Consumer<ChannelHandlerContext> expired) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("a deadline must be positive: " + timeout);
        }
        this.ticker = ticker;
        this.timeout = timeout.toNanos();
        this.expired = expired;
    }

    /** Starts the clock, unless it runs already (then it keeps its start). */
    void start(ChannelHandlerContext ctx) {
        if (!running) {
            running = true;
            started = ticker.nanoTime();
            schedule(ctx);
        }
    }

    void stop() {
        running = false;
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    private void schedule(ChannelHandlerContext ctx) {
        long left = timeout - (ticker.nanoTime() - started);
        check = ctx.executor().schedule(() -> check(ctx), Math.max(0, Math.min(left, CHECK_EVERY.toNanos())),
                TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        check = null;
        if (!running) {
            return;
        }
        if (ticker.nanoTime() - started >= timeout) {
            running = false;
            expired.accept(ctx);
        } else {
            schedule(ctx);
        }
    }

    /** {@code 30 s}, or {@code 250 ms} below a second: for messages to the peer. */
    static String say(Duration duration) {
        return duration.toMillis() % 1_000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() + " ms";
    }
}
