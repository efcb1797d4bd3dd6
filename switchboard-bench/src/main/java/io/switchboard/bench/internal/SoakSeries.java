package io.switchboard.bench.internal;

import java.util.List;

/**
 * One column a soak samples: its CSV name, the chart panel it is drawn in (scaled to that panel's unit), and the
 * rule that judges it, or {@code null} for one that is only shown (p50, the error count).
 */
record SoakSeries(String name, String panel, double chartScale, TrendRule rule) {
    static final String HEAP = "heap used (MiB)";
    static final String DIRECT = "direct buffers (MiB)";
    static final String THREADS = "live threads";
    static final String FILES = "open files";
    static final String LATENCY = "p99 latency (ms)";
    static final String THROUGHPUT = "throughput (/s)";
    static final String ERRORS = "errors (total)";
    static final List<String> PANELS = List.of(HEAP, DIRECT, THREADS, FILES, LATENCY, THROUGHPUT);

    private static final double MIB = 1024 * 1024;

    /**
     * A server process's memory, threads and files. Heap is judged on its troughs with a generous tolerance (GC
     * sawtooth; a pool or cache may still settle); threads and files may move by a few (a churn connection
     * open at the sample) but not climb.
     */
    static List<SoakSeries> forProcess(String process) {
        return List.of(
                new SoakSeries(process + "_heap_bytes", HEAP, 1 / MIB,
                        TrendRule.growth(TrendRule.Statistic.MINIMUM, 0.25, 32 * MIB, "32 MiB")),
                new SoakSeries(process + "_direct_bytes", DIRECT, 1 / MIB,
                        TrendRule.growth(TrendRule.Statistic.MEDIAN, 0.25, 16 * MIB, "16 MiB")),
                new SoakSeries(process + "_threads", THREADS, 1,
                        TrendRule.growth(TrendRule.Statistic.MEDIAN, 0, 4, "4")),
                new SoakSeries(process + "_open_files", FILES, 1,
                        TrendRule.growth(TrendRule.Statistic.MEDIAN, 0.10, 16, "16")));
    }

    /**
     * A load's throughput per interval (judged falling below half) and its latency per interval: p50 shown, p99
     * judged growing beyond double or 5 ms, whichever is larger (the machine is shared and noisy).
     */
    static List<SoakSeries> forLoad(String load, String throughput) {
        return List.of(
                new SoakSeries(load + "_" + throughput + "_per_s", THROUGHPUT, 1, TrendRule.fall(0.5)),
                new SoakSeries(load + "_p50_us", null, 1, null),
                new SoakSeries(load + "_p99_us", LATENCY, 1e-3,
                        TrendRule.growth(TrendRule.Statistic.MEDIAN, 1.0, 5000, "5 ms")));
    }

    /** A raw value (bytes, microseconds) in this series' chart unit, e.g. {@code 21.4 MiB}, {@code 3.2 ms}. */
    String display(double raw) {
        String unit = HEAP.equals(panel) || DIRECT.equals(panel) ? " MiB" : LATENCY.equals(panel) ? " ms"
                : THROUGHPUT.equals(panel) ? "/s" : "";
        return String.format(java.util.Locale.ROOT, "%.1f%s", raw * chartScale, unit);
    }

    /** Errors so far across the loads: any at all is a problem, whatever the trends say. */
    static SoakSeries errors() {
        return new SoakSeries("errors", ERRORS, 1, null);
    }
}
