package io.switchboard.cluster;

import io.switchboard.common.port.PortPlan;
import io.switchboard.common.time.Ticker;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Timing of cluster links and remote requests, shared by gates and nodes. Liveness and timeouts are measured
 * with the {@link Ticker}, so tests move time by hand; the check cadence itself is real time.
 *
 * @param pingInterval     how often each side pings when it has sent nothing else
 * @param deadAfter        silence after which the peer is declared dead and the link closed
 * @param authTimeout      how long a new link has, from connect, to authenticate (TLS, HELLO, AUTH and the registry
 *                         check) before it is closed
 * @param checkInterval    how often liveness and request deadlines are checked
 * @param requestTimeout   how long a gate (or rpc caller) waits for a node's answer
 * @param reconnectMin     first reconnect delay after a link drops; doubles per failure
 * @param reconnectMax     the longest reconnect delay
 * @param ticker           monotonic time for liveness and deadlines
 * @param clock            wall clock for hop timestamps
 * @param appId            the project (seed 000's app_id) written in, and required of, every frame
 */
public record LinkSettings(Duration pingInterval, Duration deadAfter, Duration authTimeout, Duration checkInterval,
                           Duration requestTimeout, Duration reconnectMin, Duration reconnectMax,
                           Ticker ticker, Clock clock, int appId) {
    /** Long enough for a TLS handshake and a registry that trails a node's registration by a moment. */
    private static final Duration DEFAULT_AUTH_TIMEOUT = Duration.ofSeconds(5);

    public LinkSettings {
        Objects.requireNonNull(pingInterval, "pingInterval");
        Objects.requireNonNull(deadAfter, "deadAfter");
        Objects.requireNonNull(authTimeout, "authTimeout");
        Objects.requireNonNull(checkInterval, "checkInterval");
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(reconnectMin, "reconnectMin");
        Objects.requireNonNull(reconnectMax, "reconnectMax");
        Objects.requireNonNull(ticker, "ticker");
        Objects.requireNonNull(clock, "clock");
        if (appId < 0) {
            throw new IllegalArgumentException("appId must not be negative: " + appId);
        }
        if (deadAfter.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("deadAfter must exceed pingInterval");
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax must be at least reconnectMin");
        }
    }

    /**
     * Ping every second, dead after 5 s of silence, 5 s to authenticate, 10 s request timeout, reconnect
     * 100 ms .. 5 s.
     */
    public static LinkSettings defaults() {
        return new LinkSettings(Duration.ofSeconds(1), Duration.ofSeconds(5), DEFAULT_AUTH_TIMEOUT,
                Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofMillis(100), Duration.ofSeconds(5),
                Ticker.system(), Clock.systemUTC(), PortPlan.DEFAULT_PROJECT);
    }

    /**
     * How long a closing gate or node waits for the answers of the requests in its hands before it cuts its links:
     * the request timeout, at most {@value #MAX_QUIESCE_SECONDS} s (a shutdown is bounded whatever the timeout).
     */
    public Duration quiesceLimit() {
        Duration max = Duration.ofSeconds(MAX_QUIESCE_SECONDS);
        return requestTimeout.compareTo(max) < 0 ? requestTimeout : max;
    }

    private static final long MAX_QUIESCE_SECONDS = 5;

    public LinkSettings withPing(Duration pingInterval, Duration deadAfter) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    public LinkSettings withRequestTimeout(Duration requestTimeout) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    public LinkSettings withCheckInterval(Duration checkInterval) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    public LinkSettings withReconnect(Duration reconnectMin, Duration reconnectMax) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    public LinkSettings withAuthTimeout(Duration authTimeout) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    public LinkSettings withTicker(Ticker ticker) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }

    /** Links of another project (app id) are refused frame by frame: one network may carry several clusters. */
    public LinkSettings withAppId(int appId) {
        return new LinkSettings(pingInterval, deadAfter, authTimeout, checkInterval, requestTimeout, reconnectMin,
                reconnectMax, ticker, clock, appId);
    }
}
