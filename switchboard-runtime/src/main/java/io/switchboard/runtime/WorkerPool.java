package io.switchboard.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.api.errors.RuntimeErrors;
import io.switchboard.common.error.SwitchboardException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The process's handler threads, one policy for every kind: a FIFO work-stealing pool (per-thread queues contend less
 * than one shared queue) with a bound on the tasks waiting for it. Past the bound {@link #execute} refuses with a
 * {@link Refused} carrying {@link RuntimeErrors#OVERLOADED}, which the caller turns into an answer for the client.
 * Callers submit one task per session with work (see {@code SerialExecutor}), so the bound is on busy sessions.
 */
public final class WorkerPool implements Executor, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private final ForkJoinPool pool;
    private final int capacity;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Counter refused;

    /** The refusal of a full pool: a {@link RejectedExecutionException} with the error code to answer with. */
    public static final class Refused extends RejectedExecutionException {
        public Refused(int capacity) {
            super("the workers are busy: " + capacity + " tasks wait already");
        }

        public SwitchboardException asError() {
            return new SwitchboardException(RuntimeErrors.OVERLOADED, getMessage());
        }
    }

    public WorkerPool(int threads, int capacity, MeterRegistry meters) {
        this.capacity = capacity;
        this.pool = new ForkJoinPool(threads, p -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            thread.setName("switchboard-worker-" + thread.getPoolIndex());
            thread.setDaemon(true);
            return thread;
        }, null, true);
        this.refused = Counter.builder("switchboard_workers_refused").description("tasks refused by full workers")
                .register(meters);
        Gauge.builder("switchboard_workers_waiting", waiting, AtomicInteger::get)
                .description("tasks waiting for a worker").register(meters);
    }

    @Override
    public void execute(Runnable task) {
        if (waiting.incrementAndGet() > capacity) {
            waiting.decrementAndGet();
            refused.increment();
            throw new Refused(capacity);
        }
        try {
            pool.execute(() -> {
                waiting.decrementAndGet();
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    // A failed task is its caller's to report; it must not cost the pool a thread.
                    log.warn("worker task failed", e);
                }
            });
        } catch (RejectedExecutionException e) {
            waiting.decrementAndGet();
            throw e;
        }
    }

    public int threads() {
        return pool.getParallelism();
    }

    /** Tasks submitted and not started yet. */
    public int waiting() {
        return waiting.get();
    }

    /** Stops taking tasks; running ones finish on their own (the threads are daemons). */
    @Override
    public void close() {
        pool.shutdown();
    }

    /** For tests and orderly stops: waits for running tasks to end. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(timeout, unit);
    }
}
