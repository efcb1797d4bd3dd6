package io.switchboard.events.amqp.internal;

import java.time.Duration;

/**
 * Waits that double from a minimum up to a cap, back to the minimum after a success: between connect attempts, and
 * between sends while the broker refuses events. Owned by one thread.
 */
public final class Backoff {
    private final long minNanos;
    private final long maxNanos;
    private long nextNanos;

    public Backoff(Duration min, Duration max) {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff: 0 < min <= max");
        }
        this.minNanos = min.toNanos();
        this.maxNanos = max.toNanos();
        this.nextNanos = minNanos;
    }

    /** The wait to make now; the one after it is twice as long, up to the cap. */
    public long next() {
        long wait = nextNanos;
        nextNanos = wait > maxNanos / 2 ? maxNanos : wait * 2;
        return wait;
    }

    public void reset() {
        nextNanos = minNanos;
    }
}
