package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.ClientAddresses;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Failed logins counted per account name and per client address. Once a key has {@code lockAfter} failures it is
 * locked, first for {@code firstLock}, then twice as long with each further failure up to {@code maxLock}; a login
 * for a locked name or from a locked address is refused with {@link ChatErrors#TOO_MANY_ATTEMPTS} before any
 * password is hashed. A successful login clears its name's count but not its address's, so one good account
 * cannot launder an address's guesses at others. A key quiet for {@code maxLock} past its last lock or failure
 * is forgotten. Time comes from the injected clock.
 *
 * <p>Each table keeps at most {@code capacity} keys and drops the least recently used beyond that, so cycling
 * names or addresses cannot grow memory; flushing a locked key out takes {@code capacity} fresh failures, each
 * costing the attacker a password hash on the bounded {@link AuthPool}.
 */
public final class LoginThrottle {
    private final Clock clock;
    private final Table names;
    private final Table clients;

    /** The limits as {@link io.switchboard.chat.ChatConfig} checked them: positive, the first lock within the cap. */
    public LoginThrottle(Clock clock, int nameFailures, int clientFailures, Duration firstLock, Duration maxLock,
                         int capacity) {
        this.clock = clock;
        this.names = new Table(nameFailures, firstLock.toMillis(), maxLock.toMillis(), capacity);
        this.clients = new Table(clientFailures, firstLock.toMillis(), maxLock.toMillis(), capacity);
    }

    /**
     * Refuses a login for a locked name or from a locked client.
     *
     * @param name   a well-formed account name, or {@code null} (only the client counts then)
     * @param client {@link #clientOf(SocketAddress)}, or {@code null} where the address is not known
     * @throws SwitchboardException {@link ChatErrors#TOO_MANY_ATTEMPTS}, saying for how long
     */
    public void check(String name, String client) {
        long now = clock.millis();
        long until = Math.max(names.lockedUntil(name, now), clients.lockedUntil(client, now));
        if (until > now) {
            long seconds = Duration.ofMillis(until - now).plusMillis(999).toSeconds();
            throw new SwitchboardException(ChatErrors.TOO_MANY_ATTEMPTS,
                    "too many failed logins; try again in " + seconds + " s");
        }
    }

    /** Counts a wrong password (or an unknown name) against both keys. */
    public void failed(String name, String client) {
        long now = clock.millis();
        names.failed(name, now);
        clients.failed(client, now);
    }

    /** Clears the name's count; the client's stays. */
    public void succeeded(String name) {
        names.forget(name);
    }

    int trackedNames() {
        return names.size();
    }

    int trackedClients() {
        return clients.size();
    }

    /** The key a client address is counted under: the IP, or an IPv6 address's /64, as the gate counts connections. */
    public static String clientOf(SocketAddress address) {
        return ClientAddresses.keyOf(address);
    }

    /** The failures of one kind of key, least recently used dropped past the capacity. */
    private static final class Table {
        /** Far past any cap's doublings; counting stops there. */
        private static final int MAX_COUNT = 1_000_000;

        private final int lockAfter;
        private final long firstLock;
        private final long maxLock;
        private final Map<String, Failures> failures;

        Table(int lockAfter, long firstLock, long maxLock, int capacity) {
            this.lockAfter = lockAfter;
            this.firstLock = firstLock;
            this.maxLock = maxLock;
            this.failures = new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Failures> eldest) {
                    return size() > capacity;
                }
            };
        }

        /** When the key's lock ends; in the past (or 0) when it is not locked. */
        synchronized long lockedUntil(String key, long now) {
            Failures f = key == null ? null : failures.get(key);
            if (f == null) {
                return 0;
            }
            if (isForgotten(f, now)) {
                failures.remove(key);
                return 0;
            }
            return f.lockedUntil;
        }

        synchronized void failed(String key, long now) {
            if (key == null) {
                return;
            }
            Failures f = failures.get(key);
            if (f == null || isForgotten(f, now)) {
                f = new Failures();
                failures.put(key, f);
            }
            f.count = Math.min(f.count + 1, MAX_COUNT);
            f.lastFailure = now;
            if (f.count >= lockAfter) {
                f.lockedUntil = now + lockFor(f.count - lockAfter);
            }
        }

        synchronized void forget(String key) {
            if (key != null) {
                failures.remove(key);
            }
        }

        synchronized int size() {
            return failures.size();
        }

        /** The first lock, doubled {@code doublings} times, capped. */
        private long lockFor(int doublings) {
            long lock = firstLock;
            for (int i = 0; i < doublings && lock < maxLock; i++) {
                lock *= 2;
            }
            return Math.min(lock, maxLock);
        }

        private boolean isForgotten(Failures f, long now) {
            return now >= Math.max(f.lastFailure, f.lockedUntil) + maxLock;
        }
    }

    /** One key's failures since it was last cleared or forgotten. */
    private static final class Failures {
        int count;
        long lastFailure;
        long lockedUntil;
    }
}
