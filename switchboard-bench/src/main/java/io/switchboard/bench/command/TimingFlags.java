package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Option;

import java.time.Duration;

/** How long a timed scenario warms up and then measures. */
final class TimingFlags implements SharedFlags {

    @Option(names = "--warmup", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "3s",
            description = "Load before measuring: 10s, 500ms, 2m (default ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "10s",
            description = "How long to measure (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Override
    public void applyTo(BenchOptions.Builder options) {
        options.warmup(warmup).duration(duration);
    }
}
