package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code bench connections}: memory per idle connection and the connect rate. */
@Command(name = "connections", description = "Idle connections held open: the server's memory per connection, "
        + "and the connect rate.")
final class ConnectionsCommand extends LoadCommand {

    @Mixin
    ConnectFlags connect;

    @Mixin
    SourcesFlag sources;

    @Option(names = "--idle", paramLabel = "N", converter = Converters.Positive.class,
            description = "Idle connections to open and hold (default ${DEFAULT-VALUE}).")
    int idleConnections = DEFAULTS.idleConnections();

    @Option(names = "--hold", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "10s",
            description = "How long to hold them before measuring (default ${DEFAULT-VALUE}).")
    Duration hold;

    @Override
    void configure(BenchOptions.Builder options) {
        options.idleConnections(idleConnections).hold(hold);
    }
}
