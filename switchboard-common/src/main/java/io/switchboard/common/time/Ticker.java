package io.switchboard.common.time;

/**
 * A source of monotonic nanoseconds. Everything in Switchboard that measures elapsed time (heartbeats,
 * request timeouts, idle checks) reads it through a {@code Ticker}, so tests can use {@link ManualTicker}.
 */
@FunctionalInterface
public interface Ticker {

    /** Monotonic nanoseconds; only differences are meaningful. */
    long nanoTime();

    /** The JVM's {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
