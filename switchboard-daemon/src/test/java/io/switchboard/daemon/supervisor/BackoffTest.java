package io.switchboard.daemon.supervisor;

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
    }

    @Test
    void refusesACapBelowTheInitialDelay() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
