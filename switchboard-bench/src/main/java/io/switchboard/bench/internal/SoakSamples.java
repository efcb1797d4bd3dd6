package io.switchboard.bench.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A soak's samples: one row per sampling instant, one column per {@link SoakSeries}, NaN where unread. */
final class SoakSamples {
    private final List<SoakSeries> series;
    private final List<Double> elapsed = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();

    SoakSamples(List<SoakSeries> series) {
        this.series = List.copyOf(series);
    }

    List<SoakSeries> series() {
        return series;
    }

    synchronized void add(double elapsedSeconds, double[] row) {
        if (row.length != series.size()) {
            throw new IllegalArgumentException(row.length + " values for " + series.size() + " series");
        }
        elapsed.add(elapsedSeconds);
        rows.add(row.clone());
    }

    synchronized int size() {
        return rows.size();
    }

    synchronized double[] elapsedSeconds() {
        return elapsed.stream().mapToDouble(Double::doubleValue).toArray();
    }

    synchronized double[] column(int index) {
        return rows.stream().mapToDouble(r -> r[index]).toArray();
    }

    /** The trends of every judged series, in column order. */
    List<Trend> judge() {
        List<Trend> trends = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            SoakSeries s = series.get(i);
            if (s.rule() != null) {
                trends.add(s.rule().judge(s.name(), column(i)));
            }
        }
        return trends;
    }

    /**
     * What fails the run: each growing or falling series, no series judged at all, and any error from the loads.
     */
    List<String> problems(List<Trend> trends) {
        List<String> problems = new ArrayList<>();
        for (Trend t : trends) {
            if (t.bad()) {
                SoakSeries s = series(t.series());
                problems.add(String.format(Locale.ROOT, "%s is %s: %s in the second third, %s in the last (%s)",
                        t.series(), t.verdict(), s.display(t.earlier()), s.display(t.later()), t.rule()));
            }
        }
        if (trends.stream().allMatch(t -> t.verdict() == Trend.Verdict.UNKNOWN)) {
            problems.add("too few samples to judge (" + size() + "): run longer or sample more often");
        }
        double errors = last(SoakSeries.errors().name());
        if (errors > 0) {
            problems.add((long) errors + " errors from the loads (error responses, wrong bodies, failed cycles)");
        }
        return problems;
    }

    /** The series called {@code name}. */
    SoakSeries series(String name) {
        return series.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no series " + name));
    }

    /** The last value of {@code name}, or NaN when there is no such series or no sample. */
    double last(String name) {
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i).name().equals(name)) {
                double[] column = column(i);
                return column.length == 0 ? Double.NaN : column[column.length - 1];
            }
        }
        return Double.NaN;
    }

    /** {@code elapsed_s} then every series; an unread value is an empty cell. */
    synchronized void writeCsv(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write("elapsed_s");
            for (SoakSeries s : series) {
                out.write(',' + s.name());
            }
            out.write('\n');
            double[] times = elapsedSeconds();
            for (int r = 0; r < times.length; r++) {
                out.write(String.format(Locale.ROOT, "%.3f", times[r]));
                for (double v : rows.get(r)) {
                    out.write(',');
                    if (Double.isFinite(v)) {
                        out.write(v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v));
                    }
                }
                out.write('\n');
            }
        }
    }
}
