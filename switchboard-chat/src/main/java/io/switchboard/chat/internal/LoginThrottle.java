package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.common.limit.FailureLocks;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.ClientAddresses;

import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

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
    private final FailureLocks names;
    private final FailureLocks clients;

    /** The limits as {@link io.switchboard.chat.ChatConfig} checked them: positive, the first lock within the cap. */
    public LoginThrottle(Clock clock, int nameFailures, int clientFailures, Duration firstLock, Duration maxLock,
                         int capacity) {
        Ticker ticker = () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
        this.names = new FailureLocks(ticker, nameFailures, firstLock, maxLock, maxLock, capacity);
        this.clients = new FailureLocks(ticker, clientFailures, firstLock, maxLock, maxLock, capacity);
    }

    /**
     * Refuses a login for a locked name or from a locked client.
     *
     * @param name   a well-formed account name, or {@code null} (only the client counts then)
     * @param client {@link #clientOf(SocketAddress)}, or {@code null} where the address is not known
     * @throws SwitchboardException {@link ChatErrors#TOO_MANY_ATTEMPTS}, saying for how long
     */
    public void check(String name, String client) {
        Duration left = max(names.lockLeft(name), clients.lockLeft(client));
        if (!left.isZero()) {
            long seconds = left.plusMillis(999).toSeconds();
            throw new SwitchboardException(ChatErrors.TOO_MANY_ATTEMPTS,
                    "too many failed logins; try again in " + seconds + " s");
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** Counts a wrong password (or an unknown name) against both keys. */
    public void failed(String name, String client) {
        names.failed(name);
        clients.failed(client);
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
}
