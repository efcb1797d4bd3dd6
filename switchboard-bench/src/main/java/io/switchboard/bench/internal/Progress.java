package io.switchboard.bench.internal;

import org.HdrHistogram.Histogram;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The live progress line: printed every interval from its own thread, until closed. */
final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer;

    Progress(PrintStream out, Duration interval, String label, Supplier<String> line) {
        if (interval.isZero() || interval.isNegative()) {
            timer = null;
            return;
        }
        long start = System.nanoTime();
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> out.printf(Locale.ROOT, "[%s %6.1fs] %s%n", label,
                (System.nanoTime() - start) / 1e9, line.get()), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** {@code p50 0.41 ms  p99 1.20 ms} of everything so far. */
    static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "p50 -  p99 -";
        }
        return String.format(Locale.ROOT, "p50 %.2f ms  p99 %.2f ms", h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6);
    }

    /** Turns a growing count into a per-second rate over the time since the last call. */
    static final class Rate {
        private long lastCount;
        private long lastNanos = System.nanoTime();

        synchronized double perSecond(long count) {
            long now = System.nanoTime();
            double rate = (count - lastCount) / ((now - lastNanos) / 1e9);
            lastCount = count;
            lastNanos = now;
            return rate;
        }
    }
}
