package io.switchboard.daemon.admin;

import io.switchboard.admin.HttpPortLimits;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the daemon's admin port is served.
 *
 * @param host         the address it listens on: the daemon's {@code --ip}
 * @param port         8889 by default (DESIGN §9); 0 picks a free port
 * @param allowedHosts names besides {@code host} and loopback that browsers may use for it ({@code Host},
 *                     {@code Origin}); anything else is refused (DNS rebinding, other sites)
 * @param sessionTtl   how long a login's token stays valid
 * @param limits       the port's connection caps and deadlines: the request timeout bounds a request sent a byte at a
 *                     time, which the idle timer alone would let hold a connection for days; watch streams send on
 *                     every refresh, so the idle timeout must be longer than the watch period
 * @param watchPeriod  how often {@code /api/watch} sends the world view
 * @param maxWatchers  watch streams open at once
 * @param tls          HTTPS only on the port, or plain HTTP when empty; a TLS handshake must be done within the
 *                     request timeout of the connect
 */
public record AdminApiConfig(String host, int port, List<String> allowedHosts, Duration sessionTtl,
                             HttpPortLimits limits, Duration watchPeriod, int maxWatchers, Optional<AdminTls> tls) {
    public static final int DEFAULT_PORT = 8889;

    public AdminApiConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tls, "tls");
        allowedHosts = List.copyOf(allowedHosts);
        if (maxWatchers < 1) {
            throw new IllegalArgumentException("admin port caps must be at least 1");
        }
        if (watchPeriod.compareTo(limits.idleTimeout()) >= 0) {
            throw new IllegalArgumentException("the watch period " + watchPeriod + " must be shorter than the idle "
                    + "timeout " + limits.idleTimeout() + ", or watch streams would be closed as idle");
        }
    }

    /**
     * The defaults on {@code host:port}: 8 h sessions, {@link HttpPortLimits#ADMIN_DEFAULTS} (64 connections, 16 per
     * address, 30 s for a request to arrive whole, 60 s idle, 30 s for a peer that takes no answers), 2 s watch, 32
     * watchers, plain HTTP.
     */
    public static AdminApiConfig defaults(String host, int port) {
        return new AdminApiConfig(host, port, List.of(), Duration.ofHours(8), HttpPortLimits.ADMIN_DEFAULTS,
                Duration.ofSeconds(2), 32, Optional.empty());
    }

    public AdminApiConfig withWatchPeriod(Duration period) {
        return new AdminApiConfig(host, port, allowedHosts, sessionTtl, limits, period, maxWatchers, tls);
    }

    public AdminApiConfig withAllowedHosts(List<String> hosts) {
        return new AdminApiConfig(host, port, hosts, sessionTtl, limits, watchPeriod, maxWatchers, tls);
    }

    public AdminApiConfig withLimits(HttpPortLimits limits) {
        return new AdminApiConfig(host, port, allowedHosts, sessionTtl, limits, watchPeriod, maxWatchers, tls);
    }

    public AdminApiConfig withMaxWatchers(int watchers) {
        return new AdminApiConfig(host, port, allowedHosts, sessionTtl, limits, watchPeriod, watchers, tls);
    }

    /** The same port over HTTPS only, with {@code tls}'s certificate. */
    public AdminApiConfig withTls(AdminTls tls) {
        return new AdminApiConfig(host, port, allowedHosts, sessionTtl, limits, watchPeriod, maxWatchers,
                Optional.of(tls));
    }

    /** {@code https} with TLS, else {@code http}: for the port's address as operators type it. */
    public String scheme() {
        return tls.isPresent() ? "https" : "http";
    }
}
