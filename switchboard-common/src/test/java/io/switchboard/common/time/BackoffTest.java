package io.switchboard.common.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesFromTheInitialDelayUpToTheCap() {
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(10));
        assertThat(IntStream.rangeClosed(1, 6).mapToObj(backoff::delay).map(Duration::toSeconds))
                .containsExactly(1L, 2L, 4L, 8L, 10L, 10L);
        assertThat(backoff.delay(1_000_000)).isEqualTo(Duration.ofSeconds(10));
        assertThat(backoff.delay(0)).as("before any attempt: the initial delay").isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void attemptsDoubleAndStartOverAfterAReset() {
        Backoff.Attempts attempts = new Backoff(Duration.ofNanos(100), Duration.ofNanos(350)).attempts();
        assertThat(IntStream.range(0, 4).mapToObj(i -> attempts.next().toNanos()))
                .containsExactly(100L, 200L, 350L, 350L);
        attempts.reset();
        assertThat(attempts.next()).isEqualTo(Duration.ofNanos(100));
    }

    @Test
    void aCapNearTheLargestDurationDoesNotOverflow() {
        Backoff backoff = new Backoff(Duration.ofNanos(Long.MAX_VALUE / 2 + 1), Duration.ofNanos(Long.MAX_VALUE));
        assertThat(backoff.delay(2)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        assertThat(backoff.delay(64)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
        Backoff small = new Backoff(Duration.ofNanos(1), Duration.ofNanos(Long.MAX_VALUE));
        assertThat(small.delay(63)).isEqualTo(Duration.ofNanos(1L << 62));
        assertThat(small.delay(64)).isEqualTo(Duration.ofNanos(Long.MAX_VALUE));
    }

    @Test
    void refusesACapBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
