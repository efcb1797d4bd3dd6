package io.switchboard.bench.command;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;

/**
 * {@code bench <scenario> [flags]}: the load generator and micro-benchmarks. {@code switchboard} registers it
 * as a subcommand and {@link io.switchboard.bench.BenchMain} runs it alone. Not runnable itself, so picocli
 * answers a missing scenario with a usage error.
 */
@Command(name = "bench", synopsisSubcommandLabel = "SCENARIO",
        description = {"Measure Switchboard against a raw-Netty baseline of the same protocol (BENCHMARKS.md), e.g.",
                "  bench echo --compare              (the baseline, then Switchboard, in one run)",
                "  bench broadcast --target ws://127.0.0.1:10101",
                "Every report starts with the line that reproduces it. 'bench SCENARIO --help' lists its flags."},
        commandListHeading = "%nScenarios:%n",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every run went as intended",
                "1:a run had problems (lost responses, failed connects, a soak that grew)",
                "2:bad arguments"},
        subcommands = {EchoCommand.class, BroadcastCommand.class, ConnectionsCommand.class, ChurnCommand.class,
                ResumeCommand.class, SoakCommand.class, ScaleCommand.class, JmhCommand.class})
public final class BenchCommand {
    private final PrintStream out;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show the scenarios and exit.")
    boolean help;

    /** Progress and reports on standard output. */
    public BenchCommand() {
        this(System.out);
    }

    /** Progress and reports on {@code out}; picocli's own help and errors go where its command line says. */
    public BenchCommand(PrintStream out) {
        this.out = out;
    }

    PrintStream out() {
        return out;
    }
}
