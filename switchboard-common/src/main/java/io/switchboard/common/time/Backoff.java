package io.switchboard.common.time;

import java.time.Duration;
import java.util.Objects;

/**
 * Delays that double from {@code initial} up to {@code cap}: the wait before attempt {@code n} of a row (1 for the
 * first) is {@code initial × 2^(n-1)}, never more than {@code cap}. For whatever dials, restarts or resends again after
 * failing: links, the router link, the supervisor, the events publisher, the resource client.
 */
public record Backoff(Duration initial, Duration cap) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(cap, "cap");
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap: " + initial + ", " + cap);
        }
    }

    /** The delay before attempt number {@code attempt} (1 for the first) of a row. */
    public Duration delay(long attempt) {
        long initialNanos = initial.toNanos();
        long capNanos = cap.toNanos();
        long doublings = Math.max(0, attempt - 1);
        // Past the leading zeros a shift would overflow: such a delay is over any cap anyway.
        if (doublings >= Long.numberOfLeadingZeros(initialNanos)) {
            return cap;
        }
        return Duration.ofNanos(Math.min(initialNanos << doublings, capNanos));
    }

    /** A count of attempts in a row over this backoff; for one thread, or guarded by its owner. */
    public Attempts attempts() {
        return new Attempts(this);
    }

    /** Attempts in a row: each {@link #next} waits twice the one before, up to the cap; a success {@link #reset}s. */
    public static final class Attempts {
        private final Backoff backoff;
        private long attempt;

        private Attempts(Backoff backoff) {
            this.backoff = backoff;
        }

        /** The wait before the next attempt. */
        public Duration next() {
            return backoff.delay(++attempt);
        }

        /** It worked: the next failure starts again from the initial delay. */
        public void reset() {
            attempt = 0;
        }
    }
}
