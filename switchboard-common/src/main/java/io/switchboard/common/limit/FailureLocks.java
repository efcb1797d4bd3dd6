package io.switchboard.common.limit;

import io.switchboard.common.time.Backoff;
import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failures counted per key (a login name, a client address), locking a key once it has failed {@code lockAfter} times:
 * first for {@code firstLock}, then twice as long with each further failure, up to {@code maxLock}. A key quiet for
 * {@code forgetAfter} past both its last failure and its lock is forgotten. At most {@code capacity} keys are kept,
 * the least recently used dropped beyond that: whoever fails chooses the keys. Time is the injected ticker's.
 * Thread-safe.
 */
public final class FailureLocks {
    /** Far past any cap's doublings; counting stops there. */
    private static final int MAX_COUNT = 1_000_000;

    private final Ticker ticker;
    private final int lockAfter;
    private final Backoff locks;
    private final long forgetAfter;
    private final Map<String, Failures> failures;

    /** One key's failures since it was last cleared or forgotten. */
    private static final class Failures {
        int count;
        long lastFailure;
        long lockedUntil;
    }

    public FailureLocks(Ticker ticker, int lockAfter, Duration firstLock, Duration maxLock, Duration forgetAfter,
                        int capacity) {
        if (lockAfter < 1 || capacity < 1 || forgetAfter.isNegative()) {
            throw new IllegalArgumentException("failure locks need lockAfter >= 1, capacity >= 1, forgetAfter >= 0");
        }
        this.ticker = ticker;
        this.lockAfter = lockAfter;
        this.locks = new Backoff(firstLock, maxLock);
        this.forgetAfter = forgetAfter.toNanos();
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                return size() > capacity;
            }
        };
    }

    /** How long {@code key} stays locked; zero when it is not ({@code null} never is). */
    public synchronized Duration lockLeft(String key) {
        Failures f = key == null ? null : failures.get(key);
        if (f == null) {
            return Duration.ZERO;
        }
        long now = ticker.nanoTime();
        if (isForgotten(f, now)) {
            failures.remove(key);
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, f.lockedUntil - now));
    }

    /** Counts a failure of {@code key}, locking it from the {@code lockAfter}-th on; {@code null} counts nothing. */
    public synchronized void failed(String key) {
        if (key == null) {
            return;
        }
        long now = ticker.nanoTime();
        Failures f = failures.get(key);
        if (f == null || isForgotten(f, now)) {
            f = new Failures();
            failures.put(key, f);
        }
        f.count = Math.min(f.count + 1, MAX_COUNT);
        f.lastFailure = now;
        if (f.count >= lockAfter) {
            f.lockedUntil = now + locks.delay(f.count - lockAfter + 1).toNanos();
        }
    }

    /** Clears {@code key}'s count (a success). */
    public synchronized void forget(String key) {
        if (key != null) {
            failures.remove(key);
        }
    }

    /** Keys counted now. */
    public synchronized int size() {
        return failures.size();
    }

    private boolean isForgotten(Failures f, long now) {
        return now - Math.max(f.lastFailure, f.lockedUntil) >= forgetAfter;
    }
}
