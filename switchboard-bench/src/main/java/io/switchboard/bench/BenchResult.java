package io.switchboard.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one scenario measured against one target: named figures (counts, rates, latency percentiles in
 * microseconds), the problems that make the run untrustworthy (lost responses, failed connects) and notes on
 * how to read it.
 */
public final class BenchResult {
    private final String name;
    private final String target;
    private final Map<String, Object> figures;
    private final List<String> problems;
    private final List<String> notes;

    private BenchResult(Builder b) {
        name = b.name;
        target = b.target;
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(b.figures));
        problems = List.copyOf(b.problems);
        notes = List.copyOf(b.notes);
    }

    public static Builder builder(String name, String target) {
        return new Builder(name, target);
    }

    /** The scenario, and the variant when there is one ({@code echo}, {@code echo at 50%}). */
    public String name() {
        return name;
    }

    /** The target measured, e.g. {@code baseline (tcp, in-process)}. */
    public String target() {
        return target;
    }

    /** Figures by name, in the order they were measured: numbers, or strings for labels. */
    public Map<String, Object> figures() {
        return figures;
    }

    /** A numeric figure, or NaN when this run has no such figure. */
    public double figure(String key) {
        Object value = figures.get(key);
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Why the figures cannot be trusted; empty when the run went as intended. */
    public List<String> problems() {
        return problems;
    }

    public List<String> notes() {
        return notes;
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    /** This result under another name, e.g. marked with the round of a compare run that measured it. */
    public BenchResult renamed(String newName) {
        Builder b = new Builder(newName, target);
        b.figures.putAll(figures);
        b.problems.addAll(problems);
        b.notes.addAll(notes);
        return b.build();
    }

    /** Collects a result as a scenario runs. */
    public static final class Builder {
        private final String name;
        private final String target;
        private final Map<String, Object> figures = new LinkedHashMap<>();
        private final List<String> problems = new ArrayList<>();
        private final List<String> notes = new ArrayList<>();

        private Builder(String name, String target) {
            this.name = name;
            this.target = target;
        }

        public Builder figure(String key, Object value) {
            figures.put(key, value);
            return this;
        }

        /** Adds {@code samples}, {@code mean_us} and the percentiles {@code p50_us} … {@code max_us}. */
        public Builder latency(String prefix, Histogram nanos) {
            figures.put(prefix + "samples", nanos.getTotalCount());
            if (nanos.getTotalCount() == 0) {
                return this;
            }
            figures.put(prefix + "mean_us", round(nanos.getMean() / 1000));
            figures.put(prefix + "p50_us", micros(nanos, 50));
            figures.put(prefix + "p90_us", micros(nanos, 90));
            figures.put(prefix + "p99_us", micros(nanos, 99));
            figures.put(prefix + "p99.9_us", micros(nanos, 99.9));
            figures.put(prefix + "max_us", round(nanos.getMaxValue() / 1000.0));
            return this;
        }

        public Builder problem(String problem) {
            problems.add(problem);
            return this;
        }

        public Builder note(String note) {
            notes.add(note);
            return this;
        }

        public BenchResult build() {
            return new BenchResult(this);
        }

        private static double micros(Histogram h, double percentile) {
            return round(h.getValueAtPercentile(percentile) / 1000.0);
        }

        private static double round(double value) {
            return Math.round(value * 10) / 10.0;
        }
    }
}
