package io.switchboard.daemon.router;

import io.switchboard.common.time.Ticker;

import java.time.Duration;
import java.util.Objects;

/**
 * How the router serves daemons (DESIGN §9, guarded as §10 asks).
 *
 * @param host             the address the router listens on
 * @param port             its port, 0 for any free one
 * @param helloTimeout     how long a new connection has to prove the secret and name its machine
 * @param relayTimeout     how long a relayed command may wait for its target's answer before it is UNREACHABLE;
 *                         longer than a stop's grace (12 s), shorter than a daemon's own wait for the router
 * @param deadAfter        a daemon silent this long (it pings more often), or not reading for as long, is dropped
 * @param checkInterval    how often deadlines are checked against the ticker
 * @param worldRefresh     how often the world is read again from globaldb, so an import is seen
 * @param maxConnections   connections open at once, handshakes included; one more is refused
 * @param maxPerAddress    connections open at once from one peer address
 * @param maxInFlight      commands one daemon may have waiting for answers at once; one more fails at once
 * @param maxFrameLength   the largest frame an authenticated daemon may send
 * @param ticker           the time deadlines are measured on
 */
public record RouterSettings(String host, int port, Duration helloTimeout, Duration relayTimeout, Duration deadAfter,
                             Duration checkInterval, Duration worldRefresh, int maxConnections, int maxPerAddress,
                             int maxInFlight, int maxFrameLength, Ticker ticker) {
    /** The router's port (DESIGN §9). */
    public static final int DEFAULT_PORT = 8888;

    public RouterSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(ticker, "ticker");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535: " + port);
        }
        if (maxConnections < 1 || maxPerAddress < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("connection and in-flight caps must be at least 1");
        }
        if (maxFrameLength < PlaneFrames.HANDSHAKE_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxFrameLength must be at least "
                    + PlaneFrames.HANDSHAKE_MAX_FRAME_LENGTH);
        }
        for (Duration d : new Duration[]{helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
    }

    public static RouterSettings defaults() {
        return new RouterSettings("127.0.0.1", DEFAULT_PORT, Duration.ofSeconds(5), Duration.ofSeconds(20),
                Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofSeconds(10), 1024, 8, 16,
                PlaneFrames.DEFAULT_MAX_FRAME_LENGTH, Ticker.system());
    }

    public RouterSettings withAddress(String host, int port) {
        return new RouterSettings(host, port, helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh,
                maxConnections, maxPerAddress, maxInFlight, maxFrameLength, ticker);
    }

    public RouterSettings withTimeouts(Duration helloTimeout, Duration relayTimeout, Duration deadAfter) {
        return new RouterSettings(host, port, helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh,
                maxConnections, maxPerAddress, maxInFlight, maxFrameLength, ticker);
    }

    public RouterSettings withCaps(int maxConnections, int maxPerAddress, int maxInFlight) {
        return new RouterSettings(host, port, helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh,
                maxConnections, maxPerAddress, maxInFlight, maxFrameLength, ticker);
    }

    public RouterSettings withTicker(Ticker ticker) {
        return new RouterSettings(host, port, helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh,
                maxConnections, maxPerAddress, maxInFlight, maxFrameLength, ticker);
    }

    public RouterSettings withWorldRefresh(Duration worldRefresh) {
        return new RouterSettings(host, port, helloTimeout, relayTimeout, deadAfter, checkInterval, worldRefresh,
                maxConnections, maxPerAddress, maxInFlight, maxFrameLength, ticker);
    }
}
