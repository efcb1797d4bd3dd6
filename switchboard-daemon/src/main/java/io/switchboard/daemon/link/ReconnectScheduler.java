package io.switchboard.daemon.link;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Runs the link's next dial after a delay: an executor in production, a hand-driven one in tests. */
@FunctionalInterface
public interface ReconnectScheduler {

    void schedule(Runnable dial, Duration delay);

    static ReconnectScheduler of(ScheduledExecutorService executor) {
        return (dial, delay) -> executor.schedule(dial, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
}
