package io.switchboard.daemon.supervisor;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a task once after a delay: where the supervisor's backoffs, grace periods and checks get their time, so tests
 * move time by hand instead of sleeping. Tasks must be short; the supervisor hands the real work to its own thread.
 */
@FunctionalInterface
public interface Scheduler {

    Cancellable schedule(Duration delay, Runnable task);

    /** A scheduled task that may be called off. */
    @FunctionalInterface
    interface Cancellable {
        void cancel();
    }

    /** A scheduler on a {@link ScheduledExecutorService} (real time). */
    static Scheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return () -> future.cancel(false);
        };
    }
}
