package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The machine's stalls over a measured window, as jHiccup measures them: a thread that does nothing but sleep
 * {@link #RESOLUTION_NANOS} at a time records by how much each sleep overran. A thread that asks for nothing but a
 * wake-up and gets it late shows what every thread on the machine got at that moment: a stall of the operating
 * system, the hypervisor or a neighbour, not of the code under test. On a shared machine such stalls set the tail of
 * the latencies, so the report puts them beside each target's p99.
 *
 * <p>The sleeper and the clock are injected; {@link #start()} runs the meter on a daemon thread of its own.
 */
final class Hiccups {
    /** jHiccup's own resolution: short enough to see a stall of a few milliseconds. */
    static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** Overruns from this length on count as stalls. */
    static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long HIGHEST = TimeUnit.MINUTES.toNanos(1);

    /** Sleeps about the asked nanoseconds; interrupted, the meter stops. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final Sleeper sleeper;
    private final LongSupplier nanoTime;
    private final Histogram overruns = new Histogram(HIGHEST, 3);
    private long stalledNanos;
    private long stalls;
    private long measuredNanos;
    private volatile boolean running = true;
    private Thread thread;

    Hiccups(Sleeper sleeper, LongSupplier nanoTime) {
        this.sleeper = sleeper;
        this.nanoTime = nanoTime;
    }

    /** A meter on real time, already running. */
    static Hiccups start() {
        Hiccups meter = new Hiccups(nanos -> TimeUnit.NANOSECONDS.sleep(nanos), System::nanoTime);
        meter.thread = new Thread(meter::measure, "bench-hiccups");
        meter.thread.setDaemon(true);
        meter.thread.start();
        return meter;
    }

    /** Sleeps and records until {@link #stop()} or an interrupt. */
    void measure() {
        long started = nanoTime.getAsLong();
        long before = started;
        try {
            while (running) {
                sleeper.sleep(RESOLUTION_NANOS);
                long after = nanoTime.getAsLong();
                record(Math.max(0, after - before - RESOLUTION_NANOS));
                before = after;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            measuredNanos = before - started;
        }
    }

    private synchronized void record(long overrun) {
        overruns.recordValue(Math.min(overrun, HIGHEST));
        if (overrun >= STALL_NANOS) {
            stalls++;
            stalledNanos += overrun;
        }
    }

    /** Ends the window: the meter's thread finishes its sleep and stops. */
    void stop() throws InterruptedException {
        running = false;
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(1));
        }
    }

    /** Whether the meter's own thread is still running (a meter made with the constructor has none). */
    boolean measuring() {
        return thread != null && thread.isAlive();
    }

    /**
     * Adds {@code hiccup_p99_us} and {@code hiccup_max_us} (the overruns' p99 and longest), {@code hiccup_stalls}
     * (overruns of {@link #STALL_NANOS} or more) and {@code hiccup_stalled_ms_per_s} (their time per second measured).
     */
    synchronized void addTo(BenchResult.Builder result) {
        if (overruns.getTotalCount() == 0) {
            return;
        }
        result.figure("hiccup_p99_us", overruns.getValueAtPercentile(99) / 1000)
                .figure("hiccup_max_us", overruns.getMaxValue() / 1000)
                .figure("hiccup_stalls", stalls);
        if (measuredNanos > 0) {
            double perSecond = stalledNanos / 1e6 / (measuredNanos / 1e9);
            result.figure("hiccup_stalled_ms_per_s", Math.round(perSecond * 10) / 10.0);
        }
    }
}
