package io.switchboard.common.id;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AssignedSnowflakeTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void refusesUntilTheNodeIdIsAssignedThenKeepsIt() {
        AtomicInteger assigned = new AtomicInteger(-1);
        AssignedSnowflake ids = new AssignedSnowflake(assigned::get, clock);
        assertThatThrownBy(ids::getAsLong).isInstanceOf(IllegalStateException.class);
        assertThat(ids.nodeId()).isEqualTo(-1);

        assigned.set(42);
        long first = ids.getAsLong();
        assertThat((first >> Snowflake.NODE_ID_SHIFT) & Snowflake.MAX_NODE_ID).isEqualTo(42);
        assigned.set(7);
        long second = ids.getAsLong();
        assertThat(second).isGreaterThan(first);
        assertThat((second >> Snowflake.NODE_ID_SHIFT) & Snowflake.MAX_NODE_ID).isEqualTo(42);
        assertThat(ids.nodeId()).isEqualTo(42);
    }

    @Test
    void twoProcessesWithDifferentAssignedIdsNeverCollide() {
        AssignedSnowflake a = new AssignedSnowflake(() -> 1, clock);
        AssignedSnowflake b = new AssignedSnowflake(() -> 2, clock);
        java.util.Set<Long> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2000; i++) {
            assertThat(seen.add(a.getAsLong())).isTrue();
            assertThat(seen.add(b.getAsLong())).isTrue();
        }
    }
}
