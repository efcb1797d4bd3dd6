package io.switchboard.common.id;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnowflakeTest {
    /** 2025-03-01T00:00:00Z, an arbitrary moment after the epoch. */
    private static final long T = Instant.parse("2025-03-01T00:00:00Z").toEpochMilli();

    private final SteppingClock clock = new SteppingClock(T);

    @Test
    void layoutIsFortyOneTenTwelve() {
        assertThat(Snowflake.EPOCH_MILLIS).isEqualTo(1_704_067_200_000L);
        assertThat(Snowflake.TIMESTAMP_BITS + Snowflake.NODE_ID_BITS + Snowflake.SEQUENCE_BITS).isEqualTo(63);
        assertThat(Snowflake.compose(Snowflake.EPOCH_MILLIS + 1, 0, 0)).isEqualTo(1L << 22);
        assertThat(Snowflake.compose(Snowflake.EPOCH_MILLIS, 1, 0)).isEqualTo(1L << 12);
        assertThat(Snowflake.compose(Snowflake.EPOCH_MILLIS, 0, 1)).isEqualTo(1L);
        // The largest id is still a positive long.
        long last = Snowflake.compose(Snowflake.EPOCH_MILLIS + Snowflake.MAX_TIMESTAMP, 1023, 4095);
        assertThat(last).isEqualTo(Long.MAX_VALUE);
        assertThat(Snowflake.instantOf(last)).isEqualTo(Instant.parse("2093-09-06T15:47:35.551Z"));
    }

    @Test
    void decodesWhatItIssues() {
        Snowflake snowflake = new Snowflake(1023, clock);

        long first = snowflake.nextId();
        long second = snowflake.nextId();

        assertThat(Snowflake.timestampMillisOf(first)).isEqualTo(T);
        assertThat(Snowflake.instantOf(first)).isEqualTo(Instant.ofEpochMilli(T));
        assertThat(Snowflake.nodeIdOf(first)).isEqualTo(1023);
        assertThat(Snowflake.sequenceOf(first)).isZero();
        assertThat(Snowflake.sequenceOf(second)).isEqualTo(1);
        assertThat(second).isEqualTo(Snowflake.compose(T, 1023, 1));
    }

    @Test
    void issuesUniqueIncreasingIdsAcrossManyMilliseconds() {
        Snowflake snowflake = new Snowflake(5, clock.stepEvery(997, 1));

        long previous = -1;
        for (int i = 0; i < 300_000; i++) {
            long id = snowflake.nextId();
            assertThat(id).isGreaterThan(previous);
            assertThat(Snowflake.nodeIdOf(id)).isEqualTo(5);
            previous = id;
        }
        assertThat(Snowflake.timestampMillisOf(previous) - T).as("milliseconds covered").isGreaterThan(250);
    }

    @Test
    void usesEverySequenceNumberOfAMillisecondThenMovesOn() {
        // The clock moves slower than ids are asked for, so every millisecond runs out.
        Snowflake snowflake = new Snowflake(5, clock.stepEvery(5000, 1));
        Map<Long, Integer> perMillisecond = new HashMap<>();

        long previous = -1;
        for (int i = 0; i < 4096 * 10; i++) {
            long id = snowflake.nextId();
            assertThat(id).isGreaterThan(previous);
            assertThat(Snowflake.sequenceOf(id)).isEqualTo(i % 4096);
            perMillisecond.merge(Snowflake.timestampMillisOf(id), 1, Integer::sum);
            previous = id;
        }
        assertThat(perMillisecond).hasSize(10).allSatisfy((ms, count) -> assertThat(count).isEqualTo(4096));
    }

    @Test
    void waitsForTheNextMillisecondWhenTheSequenceRunsOut() {
        Snowflake snowflake = new Snowflake(1, clock);
        for (int i = 0; i < 4096; i++) {
            snowflake.nextId();
        }
        // The clock now gives T ten more times before it moves to T + 1.
        clock.stepEvery(10, 1);

        long id = snowflake.nextId();

        assertThat(Snowflake.timestampMillisOf(id)).isEqualTo(T + 1);
        assertThat(Snowflake.sequenceOf(id)).isZero();
        assertThat(clock.reads()).as("clock reads while waiting").isEqualTo(11);
    }

    @Test
    void waitsOutASmallStepBack() {
        Snowflake snowflake = new Snowflake(1, clock);
        long before = snowflake.nextId();
        // Five milliseconds back, then forward one millisecond per read.
        clock.set(T - Snowflake.MAX_CLOCK_BACKWARD_MILLIS).stepEvery(1, 1);

        long after = snowflake.nextId();

        assertThat(after).isGreaterThan(before);
        assertThat(Snowflake.timestampMillisOf(after)).isEqualTo(T);
        assertThat(Snowflake.sequenceOf(after)).isEqualTo(1);
        assertThat(clock.reads()).as("read at T-5 .. T").isEqualTo(6);
    }

    @Test
    void refusesALargeStepBackAndRecoversWhenTheClockDoes() {
        Snowflake snowflake = new Snowflake(1, clock);
        long before = snowflake.nextId();
        clock.set(T - Snowflake.MAX_CLOCK_BACKWARD_MILLIS - 1);
        clock.resetReads();

        assertThatThrownBy(snowflake::nextId)
                .isInstanceOfSatisfying(ClockMovedBackwardsException.class,
                        e -> assertThat(e.behindMillis()).isEqualTo(6))
                .hasMessageContaining("moved backwards by 6 ms");
        assertThat(clock.reads()).as("refused at once, without waiting").isEqualTo(1);

        clock.set(T + 1);
        assertThat(snowflake.nextId()).isGreaterThan(before);
    }

    @Test
    void refusesAClockOutsideItsRange() {
        clock.set(Snowflake.EPOCH_MILLIS - 1);
        Snowflake snowflake = new Snowflake(1, clock);

        assertThatThrownBy(snowflake::nextId).isInstanceOf(IllegalStateException.class)
                .isNotInstanceOf(ClockMovedBackwardsException.class)
                .hasMessageContaining("outside the snowflake range");
    }

    @Test
    void acceptsNodeIdsZeroTo1023Only() {
        assertThat(new Snowflake(0, clock).nodeId()).isZero();
        assertThat(Snowflake.nodeIdOf(new Snowflake(1023, clock).nextId())).isEqualTo(1023);
        assertThatThrownBy(() -> new Snowflake(-1, clock)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0..1023");
        assertThatThrownBy(() -> new Snowflake(1024, clock)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Snowflake.compose(T, 1024, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Snowflake.compose(T, 0, 4096)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsAJavaTimeClock() {
        Instant now = Instant.parse("2030-01-02T03:04:05.678Z");
        Snowflake snowflake = new Snowflake(9, Clock.fixed(now, ZoneOffset.UTC));

        assertThat(Snowflake.instantOf(snowflake.nextId())).isEqualTo(now);
    }

    @Test
    void issuesUniqueIdsToManyThreads() throws Exception {
        Snowflake snowflake = new Snowflake(3, clock.stepEvery(100, 1));
        int threads = 4;
        int perThread = 50_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Callable<long[]> task = () -> {
                    long[] ids = new long[perThread];
                    for (int i = 0; i < perThread; i++) {
                        ids[i] = snowflake.nextId();
                    }
                    return ids;
                };
                results.add(pool.submit(task));
            }
            Set<Long> all = new HashSet<>();
            for (Future<long[]> result : results) {
                long[] ids = result.get(60, TimeUnit.SECONDS);
                for (int i = 0; i < ids.length; i++) {
                    if (i > 0) {
                        assertThat(ids[i]).as("increasing within a thread").isGreaterThan(ids[i - 1]);
                    }
                    all.add(ids[i]);
                }
            }
            assertThat(all).hasSize(threads * perThread);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void runsOnTheSystemClockByDefault() {
        long before = System.currentTimeMillis();
        long id = new Snowflake(2).nextId();
        long after = System.currentTimeMillis();

        assertThat(Snowflake.timestampMillisOf(id)).isBetween(before, after);
    }
}
