package io.switchboard.daemon.link;

import io.switchboard.common.time.Ticker;
import io.switchboard.daemon.router.PlaneFrames;

import java.time.Duration;
import java.util.Objects;

/**
 * How a daemon keeps its link to the router.
 *
 * @param helloTimeout   how long a new connection may take to be welcomed before it is dropped and dialled again
 * @param requestTimeout how long a command sent through the router waits for its answer: longer than the router's
 *                       own relay deadline, so the router's UNREACHABLE normally comes first
 * @param pingInterval   how often the daemon pings the router
 * @param deadAfter      a router silent this long is taken for gone: the link closes and is dialled again
 * @param checkInterval  how often deadlines are checked against the ticker
 * @param reconnectMin   the first delay before dialling again; it doubles with each failure
 * @param reconnectMax   the longest delay between dials
 * @param maxInFlight    commands from other machines this daemon runs at once; one more is refused at once
 * @param maxFrameLength the largest frame the router may send once it is authenticated
 * @param ticker         the time deadlines are measured on
 */
public record RouterLinkSettings(Duration helloTimeout, Duration requestTimeout, Duration pingInterval,
                                 Duration deadAfter, Duration checkInterval, Duration reconnectMin,
                                 Duration reconnectMax, int maxInFlight, int maxFrameLength, Ticker ticker) {

    public RouterLinkSettings {
        Objects.requireNonNull(ticker, "ticker");
        for (Duration d : new Duration[]{helloTimeout, requestTimeout, pingInterval, deadAfter, checkInterval,
                reconnectMin, reconnectMax}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("durations must be positive: " + d);
            }
        }
        if (reconnectMax.compareTo(reconnectMin) < 0) {
            throw new IllegalArgumentException("reconnectMax is below reconnectMin");
        }
        if (maxInFlight < 1 || maxFrameLength < PlaneFrames.HANDSHAKE_MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("maxInFlight must be at least 1 and maxFrameLength at least "
                    + PlaneFrames.HANDSHAKE_MAX_FRAME_LENGTH);
        }
    }

    public static RouterLinkSettings defaults() {
        return new RouterLinkSettings(Duration.ofSeconds(5), Duration.ofSeconds(25), Duration.ofSeconds(3),
                Duration.ofSeconds(15), Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofSeconds(10), 16,
                PlaneFrames.DEFAULT_MAX_FRAME_LENGTH, Ticker.system());
    }

    public RouterLinkSettings withRequestTimeout(Duration requestTimeout) {
        return new RouterLinkSettings(helloTimeout, requestTimeout, pingInterval, deadAfter, checkInterval,
                reconnectMin, reconnectMax, maxInFlight, maxFrameLength, ticker);
    }

    public RouterLinkSettings withReconnect(Duration reconnectMin, Duration reconnectMax) {
        return new RouterLinkSettings(helloTimeout, requestTimeout, pingInterval, deadAfter, checkInterval,
                reconnectMin, reconnectMax, maxInFlight, maxFrameLength, ticker);
    }

    public RouterLinkSettings withTicker(Ticker ticker) {
        return new RouterLinkSettings(helloTimeout, requestTimeout, pingInterval, deadAfter, checkInterval,
                reconnectMin, reconnectMax, maxInFlight, maxFrameLength, ticker);
    }
}
