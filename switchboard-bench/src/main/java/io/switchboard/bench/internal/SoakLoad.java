package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import io.switchboard.bench.Scenario;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Soak: paced echo, room broadcast and churn against one target at once for {@code duration}, sampled every
 * {@code sampleEvery} ({@link SoakSampler}); then every series is judged by its {@link TrendRule} and the samples are
 * written as CSV and drawn as a PNG in {@code outDirectory}. A growing series, falling throughput, any error or a
 * load's own problem is a problem of the run.
 */
final class SoakLoad implements Load {
    /** How long the loads may take beyond the soak to finish and drain (their set-up delays their end). */
    private static final Duration FINISH = Duration.ofMinutes(3);

    private final BenchOptions options;

    SoakLoad(BenchOptions options) {
        this.options = options;
    }

    @Override
    public BenchResult run(RunningTarget target, PrintStream out) throws Exception {
        BenchResult.Builder result = BenchResult.builder("soak", target.describe());
        EchoLoad echo = new EchoLoad(part(Scenario.ECHO).connections(options.connections()).build(), options.rate(),
                "soak echo");
        BroadcastLoad broadcast = new BroadcastLoad(part(Scenario.BROADCAST).rooms(options.rooms())
                .members(options.members()).rate(options.roomRate()).build());
        ChurnLoad churn = new ChurnLoad(part(Scenario.CHURN).connections(options.churnWorkers()).rooms(options.rooms())
                .churnMessages(options.churnMessages()).churnPause(options.churnPause()).build());
        List<SoakSampler.Watched> watched = List.of(new SoakSampler.Watched("echo", "requests", echo),
                new SoakSampler.Watched("broadcast", "deliveries", broadcast),
                new SoakSampler.Watched("churn", "cycles", churn));
        SoakSampler sampler = new SoakSampler(target.metricsEndpoints(), watched);
        if (target.metricsEndpoints().isEmpty()) {
            result.note("this target has no /metrics: only the generator's latency, throughput and errors are judged");
        }

        ExecutorService pool = Executors.newFixedThreadPool(3, r -> {
            Thread t = new Thread(r, "bench-soak-load");
            t.setDaemon(true);
            return t;
        });
        List<Future<BenchResult>> running = new ArrayList<>();
        try {
            for (Load load : List.of(echo, broadcast, churn)) {
                running.add(pool.submit(() -> load.run(target, out)));
            }
            sampleFor(sampler, out);
            for (Future<BenchResult> f : running) {
                try {
                    BenchResult part = f.get(options.duration().plus(FINISH).toMillis(), TimeUnit.MILLISECONDS);
                    part.problems().forEach(p -> result.problem(part.name() + ": " + p));
                } catch (TimeoutException e) {
                    result.problem("a load did not finish within " + FINISH + " of the soak's end");
                }
            }
        } finally {
            pool.shutdownNow();
        }

        SoakSamples samples = sampler.samples();
        sampler.scrapeFailures().forEach(result::problem);
        List<Trend> trends = samples.judge();
        Path dir = options.outDirectory();
        Files.createDirectories(dir);
        Path csv = dir.resolve("soak.csv");
        Path png = dir.resolve("soak.png");
        samples.writeCsv(csv);
        SoakChart.write(samples, "switchboard bench soak: " + target.describe(), png);

        result.figure("seconds", options.duration().toSeconds()).figure("samples", (long) samples.size());
        out.println();
        out.println("Verdicts (heap: minimum of each third, the rest: median):");
        out.println(String.format(Locale.ROOT, "%-28s %-8s %14s %14s  %s", "series", "verdict", "second third",
                "last third", "rule"));
        for (Trend t : trends) {
            SoakSeries s = samples.series(t.series());
            out.println(String.format(Locale.ROOT, "%-28s %-8s %14s %14s  %s", t.series(), t.verdict(),
                    s.display(t.earlier()), s.display(t.later()), t.rule()));
            result.figure(t.series(),
                    t.verdict() + " (" + s.display(t.earlier()) + " -> " + s.display(t.later()) + ")");
        }
        samples.problems(trends).forEach(result::problem);
        result.note("samples: " + csv.toAbsolutePath() + "; chart: " + png.toAbsolutePath());
        result.note("rule: samples in thirds, the first is warm-up; the second third is compared with the last: heap "
                + "by its minimum (after-GC troughs), the rest by the median; growing beyond the tolerance, or "
                + "throughput falling below half, fails the run");
        return result.build();
    }

    /** Samples every {@code sampleEvery} until {@code duration} has passed, printing a line each time. */
    private void sampleFor(SoakSampler sampler, PrintStream out) throws InterruptedException {
        long start = System.nanoTime();
        long every = options.sampleEvery().toNanos();
        long end = start + options.duration().toNanos();
        boolean print = !options.progressInterval().isZero();
        for (long next = start + every; next <= end; next += every) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            sampler.sample(elapsed);
            if (print) {
                out.println(String.format(Locale.ROOT, "[soak %6.1fs] %s", elapsed, sampler.lastLine()));
            }
        }
    }

    /** The options of one of the soak's loads: the soak's generator and duration, no warm-up, no progress line. */
    private BenchOptions.Builder part(Scenario scenario) {
        return BenchOptions.builder().scenario(scenario).target(options.target()).websocket(options.websocket())
                .clientThreads(options.clientThreads()).connectConcurrency(options.connectConcurrency())
                .sourceAddresses(options.sourceAddresses()).bodySize(options.bodySize())
                .warmup(Duration.ZERO).duration(options.duration()).progressInterval(Duration.ZERO);
    }
}
