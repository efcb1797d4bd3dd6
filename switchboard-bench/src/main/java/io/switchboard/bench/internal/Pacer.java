package io.switchboard.bench.internal;

/**
 * Sends at a fixed rate without coordinated omission: the n-th send is due at {@code start + n / rate}, and
 * the scenario measures latency from that due time, so a send that leaves late (a busy generator, a stalled
 * server) counts its wait. A timer calls {@link #due(long)} and sends that many.
 */
final class Pacer {
    private final long startNanos;
    private final double intervalNanos;
    private long sent;

    Pacer(long startNanos, double perSecond) {
        this.startNanos = startNanos;
        this.intervalNanos = 1e9 / perSecond;
    }

    /** How many sends are due at {@code now} and not sent yet. */
    long due(long now) {
        long total = (long) ((now - startNanos) / intervalNanos) + 1;
        return Math.max(0, total - sent);
    }

    /** The due time of the next send, and counts it as sent. */
    long next() {
        return startNanos + (long) (sent++ * intervalNanos);
    }

    long sent() {
        return sent;
    }

    /** How often to look: every send's own time, but no more than every 200 µs (then sends go in batches). */
    static long tickNanos(double perSecond) {
        return Math.max(200_000L, (long) (1e9 / perSecond));
    }
}
