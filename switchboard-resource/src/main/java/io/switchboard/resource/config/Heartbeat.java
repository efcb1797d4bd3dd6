package io.switchboard.resource.config;

import java.time.Duration;
import java.util.Objects;

/**
 * A set's {@code heartbeat} block: probe the {@code address} of each {@code heartbeat_list} endpoint every
 * {@code gapSeconds}; down after {@code loseTime} consecutive failures, up again after {@code recoverTime}
 * consecutive successes (HAProxy's {@code fall}/{@code rise}).
 */
public record Heartbeat(ProbeAddress address, int gapSeconds, int loseTime, int recoverTime) {

    public Heartbeat {
        Objects.requireNonNull(address, "address");
        if (gapSeconds < 1 || loseTime < 1 || recoverTime < 1) {
            throw new IllegalArgumentException("heartbeat_gap, lose_time and recover_time must be at least 1");
        }
    }

    public Duration gap() {
        return Duration.ofSeconds(gapSeconds);
    }
}
