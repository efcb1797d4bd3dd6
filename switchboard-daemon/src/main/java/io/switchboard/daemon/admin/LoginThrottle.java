package io.switchboard.daemon.admin;

import io.switchboard.common.limit.FailureLocks;
import io.switchboard.common.time.Ticker;

import java.time.Duration;

/**
 * Failed logins slow further tries, per address and per user name alike (DESIGN §10): the first {@value #FREE_FAILURES}
 * failures cost nothing, each one after locks the key for twice as long as the one before (1 s, 2 s, 4 s ... up to
 * {@link #MAX_LOCK}). A success clears its name's key but not its address's, as the chat's throttle does; a key quiet
 * for {@link #FORGET_AFTER} past its last failure and lock is forgotten. The table is bounded ({@value #MAX_KEYS}
 * keys, least recently failed dropped first), since whoever connects chooses the keys. Time is the injected ticker's.
 * Thread-safe: {@link FailureLocks} counts.
 */
final class LoginThrottle {
    static final int FREE_FAILURES = 3;
    static final Duration FIRST_LOCK = Duration.ofSeconds(1);
    static final Duration MAX_LOCK = Duration.ofMinutes(5);
    static final Duration FORGET_AFTER = Duration.ofMinutes(30);
    static final int MAX_KEYS = 10_000;

    private final FailureLocks locks;

    LoginThrottle(Ticker ticker) {
        // Locked from the failure after the free ones on.
        this.locks = new FailureLocks(ticker, FREE_FAILURES + 1, FIRST_LOCK, MAX_LOCK, FORGET_AFTER, MAX_KEYS);
    }

    /** How long {@code address} or {@code user} must still wait before a try; zero when it may try now. */
    Duration waitFor(String address, String user) {
        Duration byAddress = locks.lockLeft(ipKey(address));
        Duration byUser = locks.lockLeft(userKey(user));
        return byAddress.compareTo(byUser) >= 0 ? byAddress : byUser;
    }

    void failed(String address, String user) {
        locks.failed(ipKey(address));
        locks.failed(userKey(user));
    }

    /** Clears the name's count; the address's stays, so one good account cannot launder its guesses at others. */
    void succeeded(String user) {
        locks.forget(userKey(user));
    }

    private static String ipKey(String address) {
        return "ip:" + address;
    }

    private static String userKey(String user) {
        return "user:" + user;
    }
}
