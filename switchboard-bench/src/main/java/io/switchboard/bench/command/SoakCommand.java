package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code bench soak}: a long mixed load that fails when the server's memory, threads or files grow. */
@Command(name = "soak", description = {"Paced echo, room broadcast and churn at once for --duration; samples every "
        + "server process's /metrics (heap, direct buffers, live threads, open files) and the generator's p50/p99 "
        + "and throughput every --sample-every. Samples in thirds, the first warm-up: the second third is compared "
        + "with the last (heap by its minimum, the rest by the median); a series growing beyond its tolerance, "
        + "throughput falling below half or any error fails the run (exit 1, PROBLEM lines). Writes soak.csv and "
        + "soak.png to --out. The target defaults to standalone here, in a child JVM (--in-process to share this "
        + "one)."})
final class SoakCommand extends LoadCommand {
    /** The soak's own defaults (a long gentle mix against standalone), stated once in {@link BenchOptions#soak()}. */
    static final BenchOptions SOAK = BenchOptions.soak().build();
    @Option(names = "--duration", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "10m",
            description = "How long to soak: 10m, 90s (default ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--sample-every", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "5s",
            description = "How often to sample (default ${DEFAULT-VALUE}).")
    Duration sampleEvery;

    @Option(names = "--out", paramLabel = "DIR", description = "Where soak.csv and soak.png go "
            + "(default ${DEFAULT-VALUE}).")
    Path out = SOAK.outDirectory();

    @Option(names = "--connections", paramLabel = "N", converter = Converters.Positive.class,
            description = "Echo connections (default ${DEFAULT-VALUE}).")
    int connections = SOAK.connections();

    @Option(names = "--rate", paramLabel = "N", description = "Echo requests per second, all connections together; "
            + "0 for flat out (default ${DEFAULT-VALUE}).")
    double rate = SOAK.rate();

    @Option(names = "--rooms", paramLabel = "N", converter = Converters.Positive.class,
            description = "Broadcast rooms, and the rooms the churn workers join (default ${DEFAULT-VALUE}).")
    int rooms = SOAK.rooms();

    @Option(names = "--members", paramLabel = "N", converter = Converters.Positive.class,
            description = "Members per broadcast room (default ${DEFAULT-VALUE}).")
    int members = SOAK.members();

    @Option(names = "--room-rate", paramLabel = "N", description = "Messages per second each room's sender says "
            + "(default ${DEFAULT-VALUE}).")
    double roomRate = SOAK.roomRate();

    @Option(names = "--churn-workers", paramLabel = "N", converter = Converters.Positive.class,
            description = "Workers looping connect, join, say, leave, disconnect (default ${DEFAULT-VALUE}).")
    int churnWorkers = SOAK.churnWorkers();

    @Option(names = "--says", paramLabel = "N", description = "Messages a churn worker says per cycle "
            + "(default ${DEFAULT-VALUE}).")
    int says = SOAK.churnMessages();

    @Option(names = "--churn-pause", paramLabel = "TIME", converter = Converters.Time.class, defaultValue = "50ms",
            description = "A churn worker's pause between cycles, so that a long run keeps ephemeral ports free "
                    + "(default ${DEFAULT-VALUE}).")
    Duration churnPause;

    @Option(names = "--body", paramLabel = "BYTES", converter = Converters.Positive.class,
            description = "Echo body size (default ${DEFAULT-VALUE}).")
    int body = SOAK.bodySize();

    @Override
    void configure(BenchOptions.Builder options) {
        if (!spec.commandLine().getParseResult().hasMatchedOption("--target")) {
            options.target(SOAK.target());
        }
        options.duration(duration).sampleEvery(sampleEvery).outDirectory(out).connections(connections).rate(rate)
                .rooms(rooms).members(members).roomRate(roomRate).churnWorkers(churnWorkers).churnMessages(says)
                .churnPause(churnPause).bodySize(body);
    }
}
