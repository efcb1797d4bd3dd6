package io.switchboard.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client with {@link SwitchboardClientBuilder#reconnect(ReconnectPolicy)} dials again after its connection
 * drops: exponential backoff with jitter, bounded by a number of attempts or a time, whichever comes first.
 *
 * <p>Attempt {@code n} (from 1) waits {@link #backoff(int, double)}: the cap {@code min(max, initial × 2^(n-1))},
 * less a random share of it of up to {@code jitter} (1, the default, is "full jitter": anywhere in
 * {@code (0, cap]}), so that clients dropped together do not all come back at once. Immutable.
 *
 * <p>The attempts, and the time {@code giveUpAfter} counts, start at a drop and run on through connections that
 * drop again before {@code stableAfter}: a server that takes the handshake and drops the connection at once is
 * dialed {@code maxAttempts} more times, with growing backoff, not forever. Only a connection that stayed up for
 * {@code stableAfter} starts the count afresh when it drops.
 *
 * @param initialBackoff the cap of the first attempt's wait (default 500 ms)
 * @param maxBackoff     the largest cap (default 30 s)
 * @param jitter         the share of the cap drawn at random, 0 to 1 (default 1: full jitter)
 * @param maxAttempts    attempts before the client gives up; 0 (the default) for no limit
 * @param giveUpAfter    time since the drop after which no new attempt starts; {@link Duration#ZERO} (the
 *                       default) for no limit. Read on the client's {@link SwitchboardClientBuilder#ticker ticker}
 * @param stableAfter    how long a connection must stay up before its drop counts as a new one, with the attempts
 *                       and backoff back at the start (default 30 s); {@link Duration#ZERO} counts every drop as
 *                       new, which lets a server that keeps dropping the client make it dial forever. Read on the
 *                       client's ticker
 */
public record ReconnectPolicy(Duration initialBackoff, Duration maxBackoff, double jitter, int maxAttempts,
                              Duration giveUpAfter, Duration stableAfter) {

    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STABLE_AFTER = Duration.ofSeconds(30);

    public ReconnectPolicy {
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        Objects.requireNonNull(maxBackoff, "maxBackoff");
        Objects.requireNonNull(giveUpAfter, "giveUpAfter");
        Objects.requireNonNull(stableAfter, "stableAfter");
        if (initialBackoff.isNegative() || initialBackoff.isZero()) {
            throw new IllegalArgumentException("initialBackoff must be positive: " + initialBackoff);
        }
        if (maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("maxBackoff " + maxBackoff + " is below initialBackoff " + initialBackoff);
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1: " + jitter);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts must not be negative: " + maxAttempts);
        }
        if (giveUpAfter.isNegative()) {
            throw new IllegalArgumentException("giveUpAfter must not be negative: " + giveUpAfter);
        }
        if (stableAfter.isNegative()) {
            throw new IllegalArgumentException("stableAfter must not be negative: " + stableAfter);
        }
    }

    /** A policy whose connections count as stable after {@link #DEFAULT_STABLE_AFTER}. */
    public ReconnectPolicy(Duration initialBackoff, Duration maxBackoff, double jitter, int maxAttempts,
                           Duration giveUpAfter) {
        this(initialBackoff, maxBackoff, jitter, maxAttempts, giveUpAfter, DEFAULT_STABLE_AFTER);
    }

    /** 500 ms doubling up to 30 s, full jitter, never giving up; a connection is stable after 30 s. */
    public static ReconnectPolicy defaults() {
        return new ReconnectPolicy(DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, 1, 0, Duration.ZERO,
                DEFAULT_STABLE_AFTER);
    }

    public ReconnectPolicy withBackoff(Duration initial, Duration max) {
        return new ReconnectPolicy(initial, max, jitter, maxAttempts, giveUpAfter, stableAfter);
    }

    public ReconnectPolicy withJitter(double share) {
        return new ReconnectPolicy(initialBackoff, maxBackoff, share, maxAttempts, giveUpAfter, stableAfter);
    }

    public ReconnectPolicy withMaxAttempts(int attempts) {
        return new ReconnectPolicy(initialBackoff, maxBackoff, jitter, attempts, giveUpAfter, stableAfter);
    }

    public ReconnectPolicy withGiveUpAfter(Duration time) {
        return new ReconnectPolicy(initialBackoff, maxBackoff, jitter, maxAttempts, time, stableAfter);
    }

    public ReconnectPolicy withStableAfter(Duration time) {
        return new ReconnectPolicy(initialBackoff, maxBackoff, jitter, maxAttempts, giveUpAfter, time);
    }

    /**
     * The wait before attempt {@code attempt} (from 1), given a {@code random} number in {@code [0, 1)}: the cap
     * {@code min(max, initial × 2^(attempt-1))} times {@code 1 - jitter × random}; never below a nanosecond.
     */
    public Duration backoff(int attempt, double random) {
        if (attempt < 1) {
            throw new IllegalArgumentException("attempts count from 1: " + attempt);
        }
        long initial = initialBackoff.toNanos();
        long max = maxBackoff.toNanos();
        int doublings = Math.min(attempt - 1, 62);
        long cap = initial > (max >> doublings) ? max : Math.min(max, initial << doublings);
        long wait = (long) (cap * (1 - jitter * random));
        return Duration.ofNanos(Math.max(1, wait));
    }

    /** Whether a connection that was up for {@code uptime} was stable: its drop starts the attempts afresh. */
    boolean stable(Duration uptime) {
        return uptime.compareTo(stableAfter) >= 0;
    }

    /** Whether the attempt numbered {@code attempt} may start, {@code elapsed} after the drop. */
    boolean allows(int attempt, Duration elapsed) {
        return (maxAttempts == 0 || attempt <= maxAttempts)
                && (giveUpAfter.isZero() || elapsed.compareTo(giveUpAfter) < 0);
    }
}
