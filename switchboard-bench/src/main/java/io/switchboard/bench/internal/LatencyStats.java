package io.switchboard.bench.internal;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.util.concurrent.TimeUnit;

/**
 * Latencies recorded wait-free from every event loop (HdrHistogram's {@link Recorder}) and folded into a
 * running total whenever the progress line or the report asks. Values are nanoseconds, three significant
 * digits, up to a minute.
 */
public final class LatencyStats {
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(1);

    private final Recorder recorder = new Recorder(HIGHEST, 3);
    private final Histogram total = new Histogram(HIGHEST, 3);
    private final Histogram sinceTaken = new Histogram(HIGHEST, 3);
    private Histogram interval;

    public void record(long nanos) {
        recorder.recordValue(Math.max(0, Math.min(nanos, HIGHEST)));
    }

    /** Everything recorded since the last {@link #reset()}. */
    public synchronized Histogram total() {
        fold();
        return total.copy();
    }

    /** Forgets everything recorded so far: the end of a warm-up. */
    public synchronized void reset() {
        fold();
        total.reset();
    }

    /** Everything recorded since the last call, whatever {@link #reset()} did meanwhile: a soak's interval. */
    public synchronized Histogram takeInterval() {
        fold();
        Histogram taken = sinceTaken.copy();
        sinceTaken.reset();
        return taken;
    }

    private void fold() {
        interval = recorder.getIntervalHistogram(interval);
        total.add(interval);
        sinceTaken.add(interval);
    }
}
