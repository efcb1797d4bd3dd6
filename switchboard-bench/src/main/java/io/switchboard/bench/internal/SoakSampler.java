package io.switchboard.bench.internal;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Takes a soak's samples: each server process's {@code /metrics} (Micrometer's JVM and process meters, read as the
 * server reports them, with no GC forced) and each load's throughput and latency over the interval since the last
 * sample, plus the loads' errors so far.
 */
final class SoakSampler {
    /** A load being watched, with the word for what it completes ({@code requests}, {@code deliveries}, ...). */
    record Watched(String name, String completes, LoadMeter meter) {
    }

    private final Map<String, URI> endpoints;
    private final List<Watched> loads;
    private final SoakSamples samples;
    private final Map<String, Integer> scrapeFailures = new LinkedHashMap<>();
    private final Map<String, String> lastScrapeFailure = new LinkedHashMap<>();
    private final long[] lastCompleted;
    private double lastElapsed;

    SoakSampler(Map<String, URI> endpoints, List<Watched> loads) {
        this.endpoints = new LinkedHashMap<>(endpoints);
        this.loads = List.copyOf(loads);
        List<SoakSeries> series = new ArrayList<>();
        this.endpoints.keySet().forEach(process -> series.addAll(SoakSeries.forProcess(process)));
        this.loads.forEach(load -> series.addAll(SoakSeries.forLoad(load.name(), load.completes())));
        series.add(SoakSeries.errors());
        this.samples = new SoakSamples(series);
        this.lastCompleted = new long[loads.size()];
    }

    SoakSamples samples() {
        return samples;
    }

    /** Each process whose {@code /metrics} could not always be read: how often, and the last reason. */
    List<String> scrapeFailures() {
        List<String> failures = new ArrayList<>();
        scrapeFailures.forEach((process, count) -> failures.add("the " + process + " /metrics could not be read in "
                + count + " samples, the last time: " + lastScrapeFailure.get(process)));
        return failures;
    }

    /** Takes one sample, {@code elapsedSeconds} into the run. */
    void sample(double elapsedSeconds) {
        double[] row = new double[samples.series().size()];
        int i = 0;
        for (Map.Entry<String, URI> endpoint : endpoints.entrySet()) {
            try {
                PrometheusText metrics = PrometheusText.fetch(endpoint.getValue());
                row[i] = known(metrics.sum("jvm_memory_used_bytes", "area=\"heap\""));
                row[i + 1] = known(metrics.sum("jvm_buffer_memory_used_bytes", "id=\"direct\""));
                row[i + 2] = known(metrics.sum("jvm_threads_live_threads"));
                row[i + 3] = known(metrics.sum("process_files_open_files"));
            } catch (IOException | RuntimeException e) {
                Arrays.fill(row, i, i + 4, Double.NaN);
                scrapeFailures.merge(endpoint.getKey(), 1, Integer::sum);
                lastScrapeFailure.put(endpoint.getKey(), e.toString());
            }
            i += 4;
        }
        double interval = elapsedSeconds - lastElapsed;
        lastElapsed = elapsedSeconds;
        long errors = 0;
        for (int l = 0; l < loads.size(); l++) {
            LoadMeter meter = loads.get(l).meter();
            long completed = meter.completed();
            row[i] = interval > 0 ? (completed - lastCompleted[l]) / interval : Double.NaN;
            lastCompleted[l] = completed;
            Histogram latency = meter.latency().takeInterval();
            row[i + 1] = micros(latency, 50);
            row[i + 2] = micros(latency, 99);
            errors += meter.failed();
            i += 3;
        }
        row[i] = errors;
        samples.add(elapsedSeconds, row);
    }

    /** The last sample as a progress line: each drawn series in its chart unit. */
    String lastLine() {
        StringBuilder line = new StringBuilder();
        List<SoakSeries> series = samples.series();
        for (SoakSeries s : series) {
            if (s.panel() != null) {
                double v = samples.last(s.name()) * s.chartScale();
                line.append(line.length() == 0 ? "" : "  ").append(s.name().replaceAll("_(bytes|us)$", ""))
                        .append(' ').append(Double.isFinite(v) ? String.format(Locale.ROOT, "%.1f", v) : "-");
            }
        }
        return line.toString();
    }

    private static double known(double value) {
        return value < 0 ? Double.NaN : value;
    }

    private static double micros(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
    }
}
