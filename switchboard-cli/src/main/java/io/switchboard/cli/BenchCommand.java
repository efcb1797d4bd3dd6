package io.switchboard.cli;

import io.switchboard.bench.BenchMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code switchboard bench <scenario> [flags]}: the load generator and micro-benchmarks (see BENCHMARKS.md). */
@Command(name = "bench", description = {
        "Measure: bench echo|broadcast|connections|churn|jmh [flags], e.g.",
        "  switchboard bench echo --compare          (Switchboard and the raw-Netty baseline in one run)",
        "  switchboard bench broadcast --target ws://127.0.0.1:10101",
        "Flags are listed in BENCHMARKS.md; every report prints the line that reproduces it."})
final class BenchCommand implements Callable<Integer> {

    /** Everything after {@code bench} goes to the bench module's own parser, flags included. */
    @Unmatched
    List<String> words = new java.util.ArrayList<>();

    @Override
    public Integer call() throws Exception {
        return BenchMain.run(words.toArray(String[]::new), System.out, System.err);
    }
}
