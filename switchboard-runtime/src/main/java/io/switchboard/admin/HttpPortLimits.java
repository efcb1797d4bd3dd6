package io.switchboard.admin;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds of an operator's HTTP port (admin HTTP): how many connections it holds, in all and from one address; how
 * long a request may take to arrive whole; how long a connection may say nothing; and how long it may hold answers its
 * peer does not read.
 *
 * @param maxConnections       connections open at once; one more is answered 503 before anything of it is read
 * @param maxConnectionsPerIp  connections open at once from one address
 * @param requestTimeout       from a request's first bytes until it is whole, else 408 and closed
 * @param idleTimeout          a connection with no traffic either way is closed after it
 * @param stalledReaderTimeout a connection whose peer takes no answers (its buffer over the high mark) is closed
 *                             after it
 */
public record HttpPortLimits(int maxConnections, int maxConnectionsPerIp, Duration requestTimeout,
                             Duration idleTimeout, Duration stalledReaderTimeout) {

    /** Admin HTTP's: a few operators and scrapers, on loopback by default. */
    public static final HttpPortLimits ADMIN_DEFAULTS = new HttpPortLimits(64, 16, RequestDeadline.DEFAULT_TIMEOUT,
            Duration.ofSeconds(60), WriteBackpressure.DEFAULT_DEADLINE);

    public HttpPortLimits {
        if (maxConnections < 1 || maxConnectionsPerIp < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1: " + maxConnections + ", "
                    + maxConnectionsPerIp);
        }
        positive(requestTimeout, "request timeout");
        positive(idleTimeout, "idle timeout");
        positive(stalledReaderTimeout, "stalled reader timeout");
    }

    private static void positive(Duration duration, String what) {
        Objects.requireNonNull(duration, what);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive: " + duration);
        }
    }

    public HttpPortLimits withConnections(int total, int perIp) {
        return new HttpPortLimits(total, perIp, requestTimeout, idleTimeout, stalledReaderTimeout);
    }

    public HttpPortLimits withRequestTimeout(Duration timeout) {
        return new HttpPortLimits(maxConnections, maxConnectionsPerIp, timeout, idleTimeout, stalledReaderTimeout);
    }

    public HttpPortLimits withIdleTimeout(Duration timeout) {
        return new HttpPortLimits(maxConnections, maxConnectionsPerIp, requestTimeout, timeout, stalledReaderTimeout);
    }

    public HttpPortLimits withStalledReaderTimeout(Duration timeout) {
        return new HttpPortLimits(maxConnections, maxConnectionsPerIp, requestTimeout, idleTimeout, timeout);
    }
}
