package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code bench scale}: throughput and latency against connections, room size and message size, per target. */
@Command(name = "scale", description = {"How cost grows with work: echo against --connections (sharing "
        + "--in-flight-total), broadcast in one room against --members, echo against --body sizes; each point flat "
        + "out, then paced at half that rate for p50/p99 there (use --pin to keep generator and servers on separate "
        + "CPUs). Every --targets target in turn (local ones forked). Writes scale-<axis>.csv and scale-<axis>.png "
        + "to --out."})
final class ScaleCommand extends LoadCommand {
    /** The scale's own defaults, stated once in {@link BenchOptions}. */
    static final BenchOptions SCALE = BenchOptions.builder().scenario(Scenario.SCALE).build();
    /** {@code --quick}: two points per axis and short runs, a few minutes for all three targets. */
    static final BenchOptions QUICK = BenchOptions.builder().scenario(Scenario.SCALE)
            .connectionPoints(List.of(100, 1_000)).memberPoints(List.of(10, 1_000)).bodyPoints(List.of(64, 16_384))
            .warmup(Duration.ofSeconds(1)).duration(Duration.ofSeconds(2)).settle(Duration.ofSeconds(3)).build();

    @Mixin
    TimingFlags timing;

    @Mixin
    ConnectFlags connect;

    @Option(names = "--targets", paramLabel = "TARGET", split = ",", defaultValue = "baseline,standalone,cluster",
            description = "The targets, in order (default ${DEFAULT-VALUE}).")
    List<String> targets;

    @Option(names = "--connections", paramLabel = "N", split = ",", converter = Converters.Positive.class,
            defaultValue = "100,1000,5000,10000", description = "Connections axis, echo (default ${DEFAULT-VALUE}).")
    List<Integer> connections;

    @Option(names = "--in-flight-total", paramLabel = "N", converter = Converters.Positive.class,
            description = "Connections axis: requests in flight over all connections, each keeping at least one "
                    + "(default ${DEFAULT-VALUE}).")
    int totalInFlight = SCALE.totalInFlight();

    @Option(names = "--members", paramLabel = "N", split = ",", converter = Converters.Positive.class,
            defaultValue = "10,100,1000,10000", description = "Room-size axis, broadcast in one room "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> members;

    @Option(names = "--in-flight", paramLabel = "N", converter = Converters.Positive.class,
            description = "Room-size axis: messages on their way back to the sender, flat out "
                    + "(default ${DEFAULT-VALUE}).")
    int inFlight = SCALE.inFlight();

    @Option(names = "--body", paramLabel = "BYTES", split = ",", converter = Converters.Positive.class,
            defaultValue = "64,1024,16384,65536", description = "Message-size axis, echo body bytes "
            + "(default ${DEFAULT-VALUE}).")
    List<Integer> bodies;

    @Option(names = "--settle", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "10s",
            description = "Unmeasured echo against each target before its first point, so the JIT has compiled "
                    + "it; 0 for none (default ${DEFAULT-VALUE}).")
    Duration settle;

    @Option(names = "--out", paramLabel = "DIR", description = "Where the CSV files and charts go "
            + "(default ${DEFAULT-VALUE}).")
    Path out = SCALE.outDirectory();

    @Option(names = "--quick", description = "A short run: connections 100,1000, members 10,1000, body "
            + "64,16384, --warmup 1s --duration 2s --settle 3s; flags given as well still count.")
    boolean quick;

    @Override
    void configure(BenchOptions.Builder options) {
        for (String single : List.of("--target", "--compare", "--with-cluster", "--repeat")) {
            if (matched(single)) {
                throw new ParameterException(spec.commandLine(), "scale takes --targets (a list), not " + single);
            }
        }
        options.scaleTargets(targets).connectionPoints(connections).totalInFlight(totalInFlight).memberPoints(members)
                .inFlight(inFlight).bodyPoints(bodies).settle(settle).outDirectory(out);
        if (quick) {
            if (!matched("--connections")) {
                options.connectionPoints(QUICK.connectionPoints());
            }
            if (!matched("--members")) {
                options.memberPoints(QUICK.memberPoints());
            }
            if (!matched("--body")) {
                options.bodyPoints(QUICK.bodyPoints());
            }
            if (!matched("--warmup")) {
                options.warmup(QUICK.warmup());
            }
            if (!matched("--duration")) {
                options.duration(QUICK.duration());
            }
            if (!matched("--settle")) {
                options.settle(QUICK.settle());
            }
        }
    }

    private boolean matched(String option) {
        return spec.commandLine().getParseResult().hasMatchedOption(option);
    }
}
