package io.switchboard.cli;

import io.switchboard.admin.HttpPortLimits;
import picocli.CommandLine.Option;

import java.time.Duration;

/** The connection caps and deadlines of an operator's HTTP port (SECURITY.md, "Ports"), as flags. */
final class HttpPortOptions {
    private static final HttpPortLimits DEFAULTS = HttpPortLimits.ADMIN_DEFAULTS;

    @Option(names = "--max-connections", paramLabel = "N", description = "Most connections open at once on the "
            + "port; one more is answered 503 before its request is read (default ${DEFAULT-VALUE}).")
    int maxConnections = DEFAULTS.maxConnections();

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Of those, most from one address "
            + "(default ${DEFAULT-VALUE}).")
    int maxConnectionsPerIp = DEFAULTS.maxConnectionsPerIp();

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Seconds a request has from its "
            + "first bytes to arrive whole, else 408 and closed (default ${DEFAULT-VALUE}).")
    long requestTimeout = DEFAULTS.requestTimeout().toSeconds();

    @Option(names = "--idle-timeout", paramLabel = "SECONDS", description = "Seconds a connection with no traffic "
            + "either way stays open (default ${DEFAULT-VALUE}).")
    long idleTimeout = DEFAULTS.idleTimeout().toSeconds();

    @Option(names = "--stalled-reader-timeout", paramLabel = "SECONDS", description = "Seconds a connection whose "
            + "peer takes none of its answers (64 KiB waiting) stays open; it is not read meanwhile "
            + "(default ${DEFAULT-VALUE}).")
    long stalledReaderTimeout = DEFAULTS.stalledReaderTimeout().toSeconds();

    /** The limits as given; one out of range throws {@link IllegalArgumentException}. */
    HttpPortLimits limits() {
        return new HttpPortLimits(maxConnections, maxConnectionsPerIp, Duration.ofSeconds(requestTimeout),
                Duration.ofSeconds(idleTimeout), Duration.ofSeconds(stalledReaderTimeout));
    }
}
