package io.switchboard.events.amqp.internal;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackoffTest {

    @Test
    void doublesUpToTheCapAndStartsOverAfterAReset() {
        Backoff backoff = new Backoff(Duration.ofNanos(100), Duration.ofNanos(350));
        assertThat(backoff.next()).isEqualTo(100);
        assertThat(backoff.next()).isEqualTo(200);
        assertThat(backoff.next()).isEqualTo(350);
        assertThat(backoff.next()).isEqualTo(350);
        backoff.reset();
        assertThat(backoff.next()).isEqualTo(100);
    }

    @Test
    void aCapNearTheLargestDurationDoesNotOverflow() {
        Backoff backoff = new Backoff(Duration.ofNanos(Long.MAX_VALUE / 2 + 1), Duration.ofNanos(Long.MAX_VALUE));
        backoff.next();
        assertThat(backoff.next()).isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
