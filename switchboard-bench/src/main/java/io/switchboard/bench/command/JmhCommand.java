package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;

/** {@code bench jmh}: the JMH micro-benchmarks, with short iterations. */
@Command(name = "jmh", description = "The JMH micro-benchmarks of the codecs, route dictionary, cluster frames and "
        + "ID generator, in a JVM forked by JMH.")
final class JmhCommand extends ScenarioCommand {

    @Option(names = "--jmh", paramLabel = "REGEX",
            description = "Regular expression of the benchmarks to run (default ${DEFAULT-VALUE}).")
    String include = DEFAULTS.jmhInclude();

    @Option(names = "--jmh-time", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "1s",
            description = "Length of each warm-up and measurement iteration (default ${DEFAULT-VALUE}).")
    Duration time;

    @Override
    void configure(BenchOptions.Builder options) {
        options.jmhInclude(include).jmhTime(time);
    }
}
