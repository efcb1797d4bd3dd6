package io.switchboard.bench;

import io.switchboard.bench.internal.JmhLoad;
import io.switchboard.bench.internal.Loads;
import io.switchboard.bench.internal.Machine;
import io.switchboard.bench.internal.Pinning;
import io.switchboard.bench.internal.RunningTarget;
import io.switchboard.bench.internal.ScaleCurves;
import io.switchboard.bench.internal.Targets;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
        Map<String, Object> machine = new LinkedHashMap<>(Machine.describe());
        String generatorCpus = Pinning.pinGenerator(options.pin());
        if (generatorCpus != null) {
            machine.put("pinned", "generator on CPUs " + generatorCpus + ", servers on "
                    + Pinning.serverCpus(true));
        }
        Map<String, List<BenchResult>> byTarget = new LinkedHashMap<>();
        List<BenchResult> all = new ArrayList<>();
        if (options.scenario() == Scenario.JMH) {
            all.add(JmhLoad.run(options, out));
        } else {
            for (String name : options.targets()) {
                try (RunningTarget target = Targets.open(name, options)) {
                    out.println("== " + options.scenario().name().toLowerCase(java.util.Locale.ROOT) + " against "
                            + target.describe());
                    List<BenchResult> results = Loads.run(options, target, out);
                    all.addAll(results);
                    byTarget.put(name, results);
                    if (options.scenario() == Scenario.SCALE) {
                        ScaleCurves.write(options, machine, all, out, false);
                    }
                }
            }
        }
        if (options.scenario() == Scenario.SCALE) {
            ScaleCurves.write(options, machine, all, out, true);
        }
        BenchReport report = new BenchReport(machine, options.toString(), all,
                options.compare() ? ratios(options.scenario(), byTarget) : List.of());
        out.println();
        out.print(report.text());
        out.flush();
        return report;
    }

    /** Each later target ÷ each earlier one, for each compared figure of each result both produced. */
    private static List<BenchReport.Ratio> ratios(Scenario scenario, Map<String, List<BenchResult>> byTarget) {
        List<BenchReport.Ratio> ratios = new ArrayList<>();
        List<String> names = new ArrayList<>(byTarget.keySet());
        for (int over = 0; over < names.size(); over++) {
            for (int of = over + 1; of < names.size(); of++) {
                for (BenchResult b : byTarget.get(names.get(over))) {
                    for (BenchResult s : byTarget.get(names.get(of))) {
                        if (!s.name().equals(b.name())) {
                            continue;
                        }
                        for (String figure : scenario.comparedFigures()) {
                            double bv = b.figure(figure);
                            double sv = s.figure(figure);
                            if (!Double.isNaN(bv) && !Double.isNaN(sv)) {
                                ratios.add(new BenchReport.Ratio(b.name(), figure, names.get(of), sv,
                                        names.get(over), bv));
                            }
                        }
                    }
                }
            }
        }
        return ratios;
    }
}
