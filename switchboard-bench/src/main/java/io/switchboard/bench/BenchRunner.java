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
import java.util.Comparator;
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
        List<BenchResult> all = new ArrayList<>();
        List<BenchReport.Ratio> ratios = new ArrayList<>();
        if (options.scenario() == Scenario.JMH) {
            all.add(JmhLoad.run(options, out));
        } else {
            int rounds = options.repeats();
            List<List<BenchReport.Ratio>> byRound = new ArrayList<>();
            for (int round = 1; round <= rounds; round++) {
                String mark = rounds > 1 ? " (round " + round + ")" : "";
                Map<String, List<BenchResult>> byTarget = new LinkedHashMap<>();
                for (String name : options.targets()) {
                    try (RunningTarget target = Targets.open(name, options)) {
                        out.println("== " + options.scenario().name().toLowerCase(java.util.Locale.ROOT)
                                + mark + " against " + target.describe());
                        List<BenchResult> results = Loads.run(options, target, out).stream()
                                .map(r -> mark.isEmpty() ? r : r.renamed(r.name() + mark)).toList();
                        all.addAll(results);
                        byTarget.put(name, results);
                        if (options.scenario() == Scenario.SCALE) {
                            ScaleCurves.write(options, machine, all, out, false);
                        }
                    }
                }
                if (options.compare()) {
                    byRound.add(ratios(options.scenario(), byTarget));
                }
            }
            byRound.forEach(ratios::addAll);
            if (rounds > 1) {
                ratios.addAll(medians(byRound));
            }
        }
        if (options.scenario() == Scenario.SCALE) {
            ScaleCurves.write(options, machine, all, out, true);
        }
        BenchReport report = new BenchReport(machine, options.toString(), all, ratios);
        out.println();
        out.print(report.text());
        out.flush();
        return report;
    }

    /**
     * Each ratio (pair, result, figure) at its median over the rounds: the round whose value is
     * the middle one (the lower middle one for an even count), so the figures shown are one round's, measured
     * together. Named for the round it came from.
     */
    static List<BenchReport.Ratio> medians(List<List<BenchReport.Ratio>> byRound) {
        record Key(String pair, String result, String figure) {
        }
        record InRound(int round, BenchReport.Ratio ratio) {
        }
        Map<Key, List<InRound>> grouped = new LinkedHashMap<>();
        for (int round = 0; round < byRound.size(); round++) {
            for (BenchReport.Ratio r : byRound.get(round)) {
                if (!Double.isNaN(r.value())) {
                    grouped.computeIfAbsent(new Key(r.pair(), unmarked(r.result()), r.figure()),
                            k -> new ArrayList<>()).add(new InRound(round + 1, r));
                }
            }
        }
        List<BenchReport.Ratio> medians = new ArrayList<>();
        grouped.forEach((key, measured) -> {
            measured.sort(Comparator.comparingDouble(m -> m.ratio().value()));
            InRound middle = measured.get((measured.size() - 1) / 2);
            BenchReport.Ratio r = middle.ratio();
            medians.add(new BenchReport.Ratio(key.result() + ", median of " + measured.size() + " rounds (round "
                    + middle.round() + ")", r.figure(), r.of(), r.ofValue(), r.over(), r.overValue()));
        });
        return medians;
    }

    /** A result's name without the round mark a run of several rounds gave it. */
    private static String unmarked(String result) {
        int mark = result.lastIndexOf(" (round ");
        return mark < 0 ? result : result.substring(0, mark);
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
