package io.switchboard.bench.internal;

import io.switchboard.bench.BenchResult;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;
import static org.awaitility.Awaitility.await;

class HiccupsTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    /** Each sleep moves the clock by the next scripted time; the last one ends the window. */
    private static Hiccups scripted(AtomicLong clock, List<Long> sleeps) {
        Deque<Long> script = new ArrayDeque<>(sleeps);
        Hiccups[] meter = new Hiccups[1];
        meter[0] = new Hiccups(nanos -> {
            assertThat(nanos).isEqualTo(Hiccups.RESOLUTION_NANOS);
            clock.addAndGet(script.remove());
            if (script.isEmpty()) {
                meter[0].stop();
            }
        }, clock::get);
        return meter[0];
    }

    @Test
    void countsTheSleepsThatOverranByAStallsLengthAndTheirTimePerSecond() {
        AtomicLong clock = new AtomicLong(1_000 * MS);
        // Overruns of 0, 0, 6, 0, 20 and 0.5 ms over 32.5 ms measured: two stalls, 26 ms of them.
        Hiccups meter = scripted(clock, List.of(MS, MS, 7 * MS, MS, 21 * MS, 3 * MS / 2));
        meter.measure();

        BenchResult built = addedTo(meter);
        assertThat(built.figure("hiccup_stalls")).isEqualTo(2);
        assertThat(built.figure("hiccup_max_us")).isCloseTo(20_000, offset(20.0)); // three significant digits
        assertThat(built.figure("hiccup_p99_us")).isCloseTo(20_000, offset(20.0));
        assertThat(built.figure("hiccup_stalled_ms_per_s")).isEqualTo(800.0); // 26 ms in 32.5 ms
    }

    @Test
    void overrunsShorterThanAStallAreInTheDistributionButNotCounted() {
        AtomicLong clock = new AtomicLong();
        Hiccups meter = scripted(clock, List.of(MS, 2 * MS, 5 * MS, MS));
        meter.measure();

        BenchResult built = addedTo(meter);
        assertThat(built.figure("hiccup_stalls")).as("4 ms is under the 5 ms of a stall").isEqualTo(0);
        assertThat(built.figure("hiccup_max_us")).isCloseTo(4_000, offset(4.0));
        assertThat(built.figure("hiccup_stalled_ms_per_s")).isEqualTo(0.0);
    }

    @Test
    void aMeterInterruptedInItsSleepStopsAndKeepsWhatItMeasured() {
        AtomicLong clock = new AtomicLong();
        Deque<Long> script = new ArrayDeque<>(List.of(MS, 11 * MS));
        Hiccups meter = new Hiccups(nanos -> {
            if (script.isEmpty()) {
                throw new InterruptedException();
            }
            clock.addAndGet(script.remove());
        }, clock::get);
        meter.measure();

        assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
        assertThat(addedTo(meter).figure("hiccup_stalls")).isEqualTo(1);
    }

    @Test
    void aMeterThatRecordedNothingAddsNothing() {
        Hiccups meter = new Hiccups(nanos -> {
            throw new InterruptedException();
        }, () -> 0L);
        meter.measure();
        Thread.interrupted();

        assertThat(addedTo(meter).figures()).doesNotContainKeys("hiccup_stalls", "hiccup_max_us");
    }

    @Test
    void theRealMeterRunsOnItsOwnThreadUntilStopped() throws Exception {
        Hiccups meter = Hiccups.start();
        assertThat(meter.measuring()).isTrue();
        meter.stop();

        // stop() waits a second for the thread's last sleep; a machine stalled longer gets more time here.
        await().atMost(Duration.ofSeconds(10)).until(() -> !meter.measuring());
    }

    private static BenchResult addedTo(Hiccups meter) {
        BenchResult.Builder result = BenchResult.builder("t", "scripted");
        meter.addTo(result);
        return result.build();
    }
}
