package io.switchboard.bench;

import io.switchboard.bench.internal.JmhLoad;
import io.switchboard.bench.internal.Loads;
import io.switchboard.bench.internal.Machine;
import io.switchboard.bench.internal.RunningTarget;
import io.switchboard.bench.internal.Targets;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a bench: starts or reaches the target(s), drives the scenario with a live progress line on
 * {@code out}, and returns the report (also printed). The {@code switchboard bench} command wraps this.
 *
 * <pre>{@code
 * BenchReport report = BenchRunner.run(BenchOptions.builder()
 *         .scenario(Scenario.ECHO).compare(true).build(), System.out);
 * }</pre>
 */
public final class BenchRunner {
    private BenchRunner() {
    }

    public static BenchReport run(BenchOptions options, PrintStream out) throws Exception {
        Map<String, Object> machine = Machine.describe();
        List<BenchResult> baseline = new ArrayList<>();
        List<BenchResult> switchboard = new ArrayList<>();
        List<BenchResult> all = new ArrayList<>();
        if (options.scenario() == Scenario.JMH) {
            all.add(JmhLoad.run(options, out));
        } else {
            List<String> targets = options.compare()
                    ? List.of(BenchOptions.TARGET_BASELINE, BenchOptions.TARGET_STANDALONE)
                    : List.of(options.target());
            for (String name : targets) {
                try (RunningTarget target = Targets.open(name, options)) {
                    out.println("== " + options.scenario().name().toLowerCase(java.util.Locale.ROOT) + " against "
                            + target.describe());
                    List<BenchResult> results = Loads.run(options, target, out);
                    all.addAll(results);
                    (target.switchboard() ? switchboard : baseline).addAll(results);
                }
            }
        }
        BenchReport report = new BenchReport(machine, options.toString(), all,
                options.compare() ? ratios(options.scenario(), baseline, switchboard) : List.of());
        out.println();
        out.print(report.text());
        out.flush();
        return report;
    }

    /** Switchboard ÷ baseline for each compared figure of each result both targets produced. */
    private static List<BenchReport.Ratio> ratios(Scenario scenario, List<BenchResult> baseline,
                                                  List<BenchResult> switchboard) {
        List<BenchReport.Ratio> ratios = new ArrayList<>();
        for (BenchResult b : baseline) {
            for (BenchResult s : switchboard) {
                if (!s.name().equals(b.name())) {
                    continue;
                }
                for (String figure : scenario.comparedFigures()) {
                    double bv = b.figure(figure);
                    double sv = s.figure(figure);
                    if (!Double.isNaN(bv) && !Double.isNaN(sv)) {
                        ratios.add(new BenchReport.Ratio(b.name(), figure, bv, sv));
                    }
                }
            }
        }
        return ratios;
    }
}
