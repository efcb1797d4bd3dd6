package io.switchboard.common.log;

import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most one log line per interval for one kind of event whose rate somebody else decides (a refused connection, a
 * kicked client, a failed write to a dependency), counting the lines it held back so the next one can say how many.
 * Without such a bound whoever causes the event can fill the disk and spend the process's CPU on logging. The first
 * line goes out at once. Safe on any thread, without locks.
 */
public final class LogWindow {
    private final Ticker ticker;
    private final long intervalNanos;
    /** Ticker time from which the next line may go out. */
    private final AtomicLong next;
    private final AtomicLong heldBack = new AtomicLong();

    public LogWindow(Ticker ticker, Duration interval) {
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval must be positive: " + interval);
        }
        this.intervalNanos = interval.toNanos();
        this.next = new AtomicLong(ticker.nanoTime());
    }

    /**
     * Whether a line may go out now: the number of lines held back since the last one that went out (0 or more), or
     * -1 when this one is held back too (and counted).
     */
    public long admit() {
        long now = ticker.nanoTime();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
            return heldBack.getAndSet(0);
        }
        heldBack.incrementAndGet();
        return -1;
    }

    /** What a line adds for the {@code heldBack} lines {@link #admit()} reported: nothing when there were none. */
    public static String heldBackNote(long heldBack) {
        return heldBack <= 0 ? "" : " (and " + heldBack + " more like it since the last line)";
    }
}
