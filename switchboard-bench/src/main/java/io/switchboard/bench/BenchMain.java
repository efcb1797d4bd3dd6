package io.switchboard.bench;

import io.switchboard.bench.command.BenchCommand;
import picocli.CommandLine;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * The bench module's own entry point, for running it from its jar without the {@code switchboard} command:
 * {@code java -cp <class path> io.switchboard.bench.BenchMain echo --compare --connections 50}. It runs the
 * same {@link BenchCommand} as {@code switchboard bench}, whose flags are those {@link BenchOptions#toString()}
 * prints, so every report carries the line that reproduces it.
 * Exits 0 when every run went as intended, 1 when one had problems, 2 on bad arguments.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintStream(System.out, true, StandardCharsets.UTF_8), System.err));
    }

    /** Runs a scenario from command-line words; returns the exit code (0 ok, 1 problems, 2 bad arguments). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return new CommandLine(new BenchCommand(out))
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .setErr(new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true))
                .execute(args);
    }
}
