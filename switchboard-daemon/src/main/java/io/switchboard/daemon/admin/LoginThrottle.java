package io.switchboard.daemon.admin;

import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins slow further tries, per address and per user name alike (DESIGN §10): the first {@value #FREE_FAILURES}
 * failures cost nothing, each one after locks the key for twice as long as the one before (1 s, 2 s, 4 s ... up to
 * {@link #MAX_LOCK}). A success clears its name's key but not its address's, as the chat's throttle does; a key quiet
 * for {@link #FORGET_AFTER} is forgotten. The table is bounded ({@value #MAX_KEYS} keys, least recently failed dropped
 * first), since whoever connects chooses the keys. Time is the injected ticker's. Thread-safe.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_LOCK = Duration.ofSeconds(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(5);
    static final Duration FORGET_AFTER = Duration.ofMinutes(30);
    static final int MAX_KEYS = 10_000;

    private record Failures(int count, long lastFailure, long lockedUntil) {
    }

    private final Ticker ticker;
    private final Map<String, Failures> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
            return size() > MAX_KEYS;
        }
    };

    LoginThrottle(Ticker ticker) {
        this.ticker = ticker;
    }

    /** How long {@code address} or {@code user} must still wait before a try; zero when it may try now. */
    synchronized Duration waitFor(String address, String user) {
        long now = ticker.nanoTime();
        return Duration.ofNanos(Math.max(0, Math.max(lockedUntil(ipKey(address), now), lockedUntil(userKey(user), now))
                - now));
    }

    synchronized void failed(String address, String user) {
        long now = ticker.nanoTime();
        fail(ipKey(address), now);
        fail(userKey(user), now);
    }

    /** Clears the name's count; the address's stays, so one good account cannot launder its guesses at others. */
    synchronized void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private long lockedUntil(String key, long now) {
        Failures f = failures.get(key);
        if (f == null) {
            return now;
        }
        if (now - f.lastFailure() > FORGET_AFTER.toNanos()) {
            failures.remove(key);
            return now;
        }
        return f.lockedUntil();
    }

    private void fail(String key, long now) {
        Failures old = failures.get(key);
        int count = old == null || now - old.lastFailure() > FORGET_AFTER.toNanos() ? 1 : old.count() + 1;
        long lock = 0;
        if (count > FREE_FAILURES) {
            int doublings = Math.min(count - FREE_FAILURES - 1, 30);
            lock = Math.min(FIRST_LOCK.toNanos() << doublings, MAX_LOCK.toNanos());
        }
        failures.put(key, new Failures(count, now, now + lock));
    }

    private static String ipKey(String address) {
        return "ip:" + address;
    }

    private static String userKey(String user) {
        return "user:" + user;
    }
}
