package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** {@code bench echo}: request throughput and latency. */
@Command(name = "echo", description = "Connections each keeping requests in flight on demo.echo.say: "
        + "throughput and latency.")
final class EchoCommand extends LoadCommand {

    @Mixin
    TimingFlags timing;

    @Mixin
    ConnectFlags connect;

    @Option(names = "--connections", paramLabel = "N", converter = Converters.Positive.class,
            description = "Connections (default ${DEFAULT-VALUE}).")
    int connections = DEFAULTS.connections();

    @Option(names = "--in-flight", paramLabel = "N", converter = Converters.Positive.class,
            description = "Requests kept in flight per connection (default ${DEFAULT-VALUE}).")
    int inFlight = DEFAULTS.inFlight();

    @Option(names = "--requests", paramLabel = "N", description = "Stop after this many responses per connection "
            + "instead of after --duration; 0 for time (default ${DEFAULT-VALUE}).")
    int requestsPerConnection = DEFAULTS.requestsPerConnection();

    @Option(names = "--rate", paramLabel = "PER_SECOND",
            description = "Total requests per second, paced; 0 for flat out (default ${DEFAULT-VALUE}).")
    double rate = DEFAULTS.rate();

    @Option(names = "--half-rate", description = "After the flat-out run, run again paced at half its throughput "
            + "and report that latency too.")
    boolean halfRate;

    @Option(names = "--body", paramLabel = "BYTES", converter = Converters.Positive.class,
            description = "Request body size in bytes (default ${DEFAULT-VALUE}).")
    int bodySize = DEFAULTS.bodySize();

    @Option(names = "--on-workers", description = "Request demo.echo.sayOnWorkers, whose handler runs on the worker "
            + "pool (the framework's default path), instead of demo.echo.say, which runs on the I/O thread.")
    boolean onWorkers;

    @Option(names = "--bytes", description = "With --on-workers: request demo.echo.sayBytesOnWorkers, whose handler "
            + "takes and returns the body's bytes, so no JSON is parsed or written (the baseline's own work).")
    boolean bytesBody;

    @Override
    void configure(BenchOptions.Builder options) {
        if (bytesBody && !onWorkers) {
            throw new ParameterException(spec.commandLine(), "--bytes goes with --on-workers");
        }
        options.connections(connections).inFlight(inFlight).requestsPerConnection(requestsPerConnection).rate(rate)
                .halfRate(halfRate).bodySize(bodySize).onWorkers(onWorkers)
                .bytesBody(bytesBody);
    }
}
