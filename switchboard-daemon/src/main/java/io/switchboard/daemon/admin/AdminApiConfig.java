package io.switchboard.daemon.admin;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the daemon's admin port is served.
 *
 * @param host              the address it listens on: the daemon's {@code --ip}
 * @param port              8889 by default (DESIGN §9); 0 picks a free port
 * @param allowedHosts      names besides {@code host} and loopback that browsers may use for it ({@code Host},
 *                          {@code Origin}); anything else is refused (DNS rebinding, other sites)
 * @param sessionTtl        how long a login's token stays valid
 * @param maxConnections    connections open at once
 * @param maxConnectionsPerIp of those, from one address
 * @param idleTimeout       a connection with no traffic this long is closed (watch streams send on every refresh)
 * @param requestTimeout    a request must arrive whole this long after its first bytes, or it is answered 408 and
 *                          closed: the idle timer alone lets a request sent a byte at a time hold a connection for days
 * @param watchPeriod       how often {@code /api/watch} sends the world view
 * @param maxWatchers       watch streams open at once
 */
public record AdminApiConfig(String host, int port, List<String> allowedHosts, Duration sessionTtl, int maxConnections,
                             int maxConnectionsPerIp, Duration idleTimeout, Duration requestTimeout,
                             Duration watchPeriod, int maxWatchers) {
    public static final int DEFAULT_PORT = 8889;

    public AdminApiConfig {
        Objects.requireNonNull(host, "host");
        allowedHosts = List.copyOf(allowedHosts);
        if (maxConnections < 1 || maxConnectionsPerIp < 1 || maxWatchers < 1) {
            throw new IllegalArgumentException("admin port caps must be at least 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("the request timeout must be positive: " + requestTimeout);
        }
        if (watchPeriod.compareTo(idleTimeout) >= 0) {
            throw new IllegalArgumentException("the watch period " + watchPeriod + " must be shorter than the idle "
                    + "timeout " + idleTimeout + ", or watch streams would be closed as idle");
        }
    }

    /**
     * The defaults on {@code host:port}: 8 h sessions, 64 connections (16 per address), 60 s idle, 30 s for a request
     * to arrive whole, 2 s watch, 32 watchers.
     */
    public static AdminApiConfig defaults(String host, int port) {
        return new AdminApiConfig(host, port, List.of(), Duration.ofHours(8), 64, 16, Duration.ofSeconds(60),
                Duration.ofSeconds(30), Duration.ofSeconds(2), 32);
    }

    public AdminApiConfig withWatchPeriod(Duration period) {
        return new AdminApiConfig(host, port, allowedHosts, sessionTtl, maxConnections, maxConnectionsPerIp,
                idleTimeout, requestTimeout, period, maxWatchers);
    }

    public AdminApiConfig withAllowedHosts(List<String> hosts) {
        return new AdminApiConfig(host, port, hosts, sessionTtl, maxConnections, maxConnectionsPerIp, idleTimeout,
                requestTimeout, watchPeriod, maxWatchers);
    }
}
