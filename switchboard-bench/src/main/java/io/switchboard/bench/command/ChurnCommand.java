package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench churn}: whole client lifecycles per second. */
@Command(name = "churn", description = "Workers looping connect, join, talk, leave, disconnect: cycles per second "
        + "and cycle latency.")
final class ChurnCommand extends LoadCommand {

    @Mixin
    TimingFlags timing;

    @Option(names = "--connections", paramLabel = "N", converter = Converters.Positive.class,
            description = "Concurrent workers, each with one connection at a time (default ${DEFAULT-VALUE}).")
    int workers = DEFAULTS.connections();

    @Option(names = "--rooms", paramLabel = "N", converter = Converters.Positive.class,
            description = "Rooms the workers join (default ${DEFAULT-VALUE}).")
    int rooms = DEFAULTS.rooms();

    @Option(names = "--says", paramLabel = "N",
            description = "Messages sent in the room per cycle (default ${DEFAULT-VALUE}).")
    int says = DEFAULTS.churnMessages();

    @Option(names = "--cycles", paramLabel = "N", description = "Stop after this many cycles per worker instead of "
            + "after --duration; 0 for time (default ${DEFAULT-VALUE}).")
    int cyclesPerWorker = DEFAULTS.cyclesPerWorker();

    @Override
    void configure(BenchOptions.Builder options) {
        options.connections(workers).rooms(rooms).churnMessages(says).cyclesPerWorker(cyclesPerWorker);
    }
}
