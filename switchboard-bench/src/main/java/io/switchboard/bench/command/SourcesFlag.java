package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Option;

import static io.switchboard.bench.command.ScenarioCommand.DEFAULTS;

/** Where many connections come from, for the scenarios that may need more than one address's ports. */
final class SourcesFlag implements SharedFlags {

    @Option(names = "--sources", paramLabel = "N", description = "127.0.0.x source addresses to spread the "
            + "connections over; 0 for as many as one address's port range makes needed (default ${DEFAULT-VALUE}).")
    int sourceAddresses = DEFAULTS.sourceAddresses();

    @Override
    public void applyTo(BenchOptions.Builder options) {
        options.sourceAddresses(sourceAddresses);
    }
}
