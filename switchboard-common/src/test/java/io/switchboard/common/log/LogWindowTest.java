package io.switchboard.common.log;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogWindowTest {
    private static final Duration INTERVAL = Duration.ofSeconds(10);
    private final ManualTicker ticker = new ManualTicker();
    private final LogWindow window = new LogWindow(ticker, INTERVAL);

    @Test
    void theFirstLineGoesOutAtOnceAndTheRestOfTheIntervalIsHeldBackAndCounted() {
        assertThat(window.admit()).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(window.admit()).isEqualTo(-1);
        }
        ticker.advance(INTERVAL.minusNanos(1));
        assertThat(window.admit()).isEqualTo(-1);
        ticker.advance(Duration.ofNanos(1));
        assertThat(window.admit()).as("held back since the last line").isEqualTo(6);
        assertThat(window.admit()).isEqualTo(-1);
    }

    @Test
    void aQuietIntervalStartsAfreshWithNothingHeldBack() {
        assertThat(window.admit()).isZero();
        ticker.advance(INTERVAL.multipliedBy(3));
        assertThat(window.admit()).isZero();
        ticker.advance(INTERVAL);
        assertThat(window.admit()).isZero();
    }

    @Test
    void manyThreadsAtOnceLetOneLineOutAndCountEveryOther() throws InterruptedException {
        assertThat(window.admit()).isZero();
        ticker.advance(INTERVAL);
        AtomicLong admitted = new AtomicLong();
        AtomicLong reported = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        int perThread = 10_000;
        for (int t = 0; t < 4; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    long held = window.admit();
                    if (held >= 0) {
                        admitted.incrementAndGet();
                        reported.addAndGet(held);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(admitted.get()).isEqualTo(1);
        ticker.advance(INTERVAL);
        // Each of the 40,000 calls but the one admitted was counted, whichever came first.
        assertThat(window.admit() + reported.get()).isEqualTo(4L * perThread - 1);
    }

    @Test
    void theNoteSaysHowManyWereHeldBackOrNothing() {
        assertThat(LogWindow.heldBackNote(0)).isEmpty();
        assertThat(LogWindow.heldBackNote(299)).isEqualTo(" (and 299 more like it since the last line)");
    }

    @Test
    void anIntervalMustBePositive() {
        assertThatThrownBy(() -> new LogWindow(ticker, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    private enum Reason { SLOW, BAD }

    @Test
    void eachReasonHasAWindowOfItsOwn() {
        LogWindows<Reason> windows = new LogWindows<>(Reason.class, ticker, INTERVAL);
        assertThat(windows.admit(Reason.SLOW)).isZero();
        assertThat(windows.admit(Reason.SLOW)).isEqualTo(-1);
        assertThat(windows.admit(Reason.BAD)).as("a flood of one reason does not hold back another").isZero();
        ticker.advance(INTERVAL);
        assertThat(windows.admit(Reason.SLOW)).isEqualTo(1);
        assertThat(windows.admit(Reason.BAD)).isZero();
    }
}
