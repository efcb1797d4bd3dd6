package io.switchboard.rooms;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks after a delay: where room timers get their time from. The task runs on the scheduler's thread and
 * only hands the real work to the room's executor. Tests use {@link ManualRoomScheduler}, so no test sleeps.
 */
@FunctionalInterface
public interface RoomScheduler {

    RoomTimer schedule(Duration delay, Runnable task);

    /** A scheduler on a {@link ScheduledExecutorService} (real time). */
    static RoomScheduler of(ScheduledExecutorService executor) {
        return (delay, task) -> {
            ScheduledFuture<?> future = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
            return new RoomTimer() {
                @Override
                public boolean cancel() {
                    return future.cancel(false);
                }

                @Override
                public boolean isCancelled() {
                    return future.isCancelled();
                }
            };
        };
    }
}
