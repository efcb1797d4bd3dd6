package io.switchboard.daemon.supervisor;

import java.time.Duration;
import java.util.Objects;

/** The delay before the n-th restart in a row: {@code initial × 2^(n-1)}, never more than {@code cap}. */
public record Backoff(Duration initial, Duration cap) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(cap, "cap");
        if (initial.isNegative() || initial.isZero() || cap.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < initial <= cap: " + initial + ", " + cap);
        }
    }

    /** The delay before restart number {@code attempt} (1 for the first) of a row. */
    public Duration delay(int attempt) {
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(cap) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(cap) < 0 ? delay : cap;
    }
}
