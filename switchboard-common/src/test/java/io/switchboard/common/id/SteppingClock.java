package io.switchboard.common.id;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A millisecond clock for tests that moves only as told: it stays put, or advances by a step once every so
 * many reads, so a generator that waits on it gets through without real time passing. Counts its reads,
 * which shows whether a generator waited. Thread-safe.
 */
final class SteppingClock implements LongSupplier {
    private final AtomicLong reads = new AtomicLong();
    private volatile long millis;
    private volatile long readsPerStep;
    private volatile long step;

    SteppingClock(long epochMillis) {
        this.millis = epochMillis;
    }

    @Override
    public synchronized long getAsLong() {
        long n = reads.incrementAndGet();
        long now = millis;
        if (step != 0 && n % readsPerStep == 0) {
            millis = now + step;
        }
        return now;
    }

    /** Sets the time and stops it there. */
    synchronized SteppingClock set(long epochMillis) {
        millis = epochMillis;
        step = 0;
        return this;
    }

    /** From now on, every {@code everyReads}-th read moves the clock by {@code stepMillis} after returning. */
    synchronized SteppingClock stepEvery(long everyReads, long stepMillis) {
        reads.set(0);
        readsPerStep = everyReads;
        step = stepMillis;
        return this;
    }

    long reads() {
        return reads.get();
    }

    void resetReads() {
        reads.set(0);
    }
}
