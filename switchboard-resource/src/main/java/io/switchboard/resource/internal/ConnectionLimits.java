package io.switchboard.resource.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The bounds on the {@code /v1} port's connections ({@link ApiConnections}).
 *
 * @param maxTotal    connections open at once, keep-alive ones and parked watches included
 * @param maxPerIp    of those, from one IP address
 * @param idleTimeout how long a connection with no request in hand and no watch parked stays open
 * @param stalledReaderTimeout how long a connection whose peer takes no answers (its buffer over the high mark) stays
 *                             open, not read meanwhile
 */
public record ConnectionLimits(int maxTotal, int maxPerIp, Duration idleTimeout, Duration stalledReaderTimeout) {

    public ConnectionLimits {
        if (maxTotal < 1 || maxPerIp < 1) {
            throw new IllegalArgumentException("connection caps must be at least 1: total " + maxTotal + ", per IP "
                    + maxPerIp);
        }
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        if (idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("the idle timeout must be positive: " + idleTimeout);
        }
        Objects.requireNonNull(stalledReaderTimeout, "stalledReaderTimeout");
        if (stalledReaderTimeout.isNegative() || stalledReaderTimeout.isZero()) {
            throw new IllegalArgumentException("the stalled reader timeout must be positive: " + stalledReaderTimeout);
        }
    }
}
