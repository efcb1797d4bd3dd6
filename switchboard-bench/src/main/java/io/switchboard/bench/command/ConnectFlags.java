package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Option;

import static io.switchboard.bench.command.ScenarioCommand.DEFAULTS;

/** How fast the scenarios that open their connections up front open them. */
final class ConnectFlags implements SharedFlags {

    @Option(names = "--connect-concurrency", paramLabel = "N", converter = Converters.Positive.class,
            description = "Connects (and handshakes) under way at once (default ${DEFAULT-VALUE}).")
    int connectConcurrency = DEFAULTS.connectConcurrency();

    @Override
    public void applyTo(BenchOptions.Builder options) {
        options.connectConcurrency(connectConcurrency);
    }
}
