package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bench broadcast}: room fan-out throughput and delivery latency. */
@Command(name = "broadcast", description = "Rooms of members, one sender per room: deliveries per second and "
        + "delivery latency.")
final class BroadcastCommand extends LoadCommand {

    @Mixin
    TimingFlags timing;

    @Mixin
    ConnectFlags connect;

    @Mixin
    SourcesFlag sources;

    @Option(names = "--rooms", paramLabel = "N", converter = Converters.Positive.class,
            description = "Rooms (default ${DEFAULT-VALUE}).")
    int rooms = DEFAULTS.rooms();

    @Option(names = "--members", paramLabel = "N", converter = Converters.Positive.class,
            description = "Members per room (default ${DEFAULT-VALUE}).")
    int members = DEFAULTS.members();

    @Option(names = "--rate", paramLabel = "PER_SECOND", description = "Messages per second per room, paced; 0 for "
            + "flat out with --in-flight (default ${DEFAULT-VALUE}).")
    double rate = DEFAULTS.rate();

    @Option(names = "--in-flight", paramLabel = "N", converter = Converters.Positive.class,
            description = "Flat out: messages per room on their way back to the sender (default ${DEFAULT-VALUE}).")
    int inFlight = DEFAULTS.inFlight();

    @Option(names = "--body", paramLabel = "BYTES", converter = Converters.Positive.class,
            description = "Pushed message body size in bytes (default ${DEFAULT-VALUE}).")
    int bodySize = DEFAULTS.bodySize();

    @Option(names = "--messages", paramLabel = "N", description = "Stop after this many messages per sender instead "
            + "of after --duration; 0 for time (default ${DEFAULT-VALUE}).")
    int messagesPerSender = DEFAULTS.messagesPerSender();

    @Override
    void configure(BenchOptions.Builder options) {
        options.rooms(rooms).members(members).rate(rate).inFlight(inFlight).bodySize(bodySize)
                .messagesPerSender(messagesPerSender);
    }
}
