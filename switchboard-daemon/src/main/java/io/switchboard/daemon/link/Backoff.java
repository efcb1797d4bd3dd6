package io.switchboard.daemon.link;

import java.time.Duration;

/** Exponential backoff: the first delay, then twice the last, up to a cap; back to the first after a success. */
final class Backoff {
    private final Duration min;
    private final Duration max;
    private Duration next;

    Backoff(Duration min, Duration max) {
        this.min = min;
        this.max = max;
        this.next = min;
    }

    synchronized Duration next() {
        Duration delay = next;
        Duration doubled = next.multipliedBy(2);
        next = doubled.compareTo(max) > 0 ? max : doubled;
        return delay;
    }

    synchronized void reset() {
        next = min;
    }
}
