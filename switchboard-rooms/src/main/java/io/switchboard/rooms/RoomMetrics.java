package io.switchboard.rooms;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Meters of a {@link RoomRegistry}: {@code switchboard.rooms} (open rooms), {@code switchboard.room.task.duration},
 * {@code switchboard.room.task.slow} (tasks past the slow threshold), {@code switchboard.room.task.failures}
 * (tasks that threw) and {@code switchboard.room.broadcast.recipients}.
 */
public final class RoomMetrics {
    private final Counter slow;
    private final Counter failures;
    private final Timer duration;
    private final DistributionSummary recipients;

    RoomMetrics(MeterRegistry meters, Supplier<Number> rooms) {
        Gauge.builder("switchboard.rooms", rooms).description("open rooms").register(meters);
        slow = Counter.builder("switchboard.room.task.slow")
                .description("room tasks that ran past the slow threshold").register(meters);
        failures = Counter.builder("switchboard.room.task.failures")
                .description("room tasks that threw").register(meters);
        duration = Timer.builder("switchboard.room.task.duration").register(meters);
        recipients = DistributionSummary.builder("switchboard.room.broadcast.recipients").register(meters);
    }

    void ran(long nanos) {
        duration.record(nanos, TimeUnit.NANOSECONDS);
    }

    void slow() {
        slow.increment();
    }

    void failed() {
        failures.increment();
    }

    void broadcast(int sessions) {
        recipients.record(sessions);
    }

    /** Tasks that ran past the slow threshold. */
    public long slowTasks() {
        return (long) slow.count();
    }

    /** Tasks that threw. */
    public long failedTasks() {
        return (long) failures.count();
    }

    /** Broadcasts sent. */
    public long broadcasts() {
        return recipients.count();
    }
}
