package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

import static io.switchboard.bench.command.ScenarioCommand.DEFAULTS;

/** How the load generator itself runs. */
final class GeneratorFlags implements SharedFlags {

    @Option(names = "--client-threads", paramLabel = "N", converter = Converters.Positive.class,
            description = "The generator's event-loop threads (default ${DEFAULT-VALUE}, half the cores).")
    int clientThreads = DEFAULTS.clientThreads();

    // Durations default as written, so that help shows 1s rather than PT1S; BenchCommandTest ties them to BenchOptions.
    @Option(names = "--progress", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "1s",
            description = "How often the live progress line is printed; 0 for none (default ${DEFAULT-VALUE}).")
    Duration progressInterval;

    @Override
    public void applyTo(BenchOptions.Builder options) {
        options.clientThreads(clientThreads).progressInterval(progressInterval);
    }
}
