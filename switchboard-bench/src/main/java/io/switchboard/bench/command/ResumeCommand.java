package io.switchboard.bench.command;

import io.switchboard.bench.BenchOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench resume}: sessions dropped and resumed, in waves. */
@Command(name = "resume", description = "Room members drop at once (TCP reset) while each room's sender talks, then "
        + "resume with their token and push count, round after round: resumes per second, resume latency, pushes "
        + "replayed, refused and lost. Needs resume on the server (on for 'switchboard demo'; the standalone "
        + "target turns it on).")
final class ResumeCommand extends LoadCommand {

    @Option(names = "--connections", paramLabel = "N", converter = Converters.Positive.class,
            description = "Members that drop and resume (default ${DEFAULT-VALUE}).")
    int members = DEFAULTS.connections();

    @Option(names = "--rooms", paramLabel = "N", converter = Converters.Positive.class,
            description = "Rooms, each with one sender that stays connected (default ${DEFAULT-VALUE}).")
    int rooms = DEFAULTS.rooms();

    @Option(names = "--says", paramLabel = "N",
            description = "Messages each sender says while its members are away, per round (default ${DEFAULT-VALUE}).")
    int says = DEFAULTS.churnMessages();

    @Option(names = "--rounds", paramLabel = "N", converter = Converters.Positive.class,
            description = "Drop-and-resume waves (default ${DEFAULT-VALUE}).")
    int rounds = DEFAULTS.resumeRounds();

    @Override
    void configure(BenchOptions.Builder options) {
        options.connections(members).rooms(rooms).churnMessages(says).resumeRounds(rounds);
    }
}
