package io.switchboard.client;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Exponential backoff with jitter, and when to give up. */
class ReconnectPolicyTest {
    private static final ReconnectPolicy POLICY = ReconnectPolicy.defaults()
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1));

    @Test
    void theCapDoublesFromTheInitialBackoffUpToTheMax() {
        ReconnectPolicy noJitter = POLICY.withJitter(0);
        assertThat(noJitter.backoff(1, 0.7)).isEqualTo(Duration.ofMillis(100));
        assertThat(noJitter.backoff(2, 0.7)).isEqualTo(Duration.ofMillis(200));
        assertThat(noJitter.backoff(4, 0.7)).isEqualTo(Duration.ofMillis(800));
        assertThat(noJitter.backoff(5, 0.7)).isEqualTo(Duration.ofSeconds(1));
        assertThat(noJitter.backoff(1000, 0.7)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void fullJitterDrawsAnywhereBelowTheCap() {
        assertThat(POLICY.jitter()).isEqualTo(1);
        assertThat(POLICY.backoff(3, 0)).isEqualTo(Duration.ofMillis(400));
        assertThat(POLICY.backoff(3, 0.5)).isEqualTo(Duration.ofMillis(200));
        assertThat(POLICY.backoff(3, 0.999_999_999)).isPositive().isLessThan(Duration.ofMillis(1));
        assertThat(POLICY.withJitter(0.25).backoff(3, 0.5)).isEqualTo(Duration.ofMillis(350));
    }

    @Test
    void givesUpAfterTheAttemptsOrTheTime() {
        assertThat(POLICY.allows(1_000_000, Duration.ofDays(1))).isTrue();
        ReconnectPolicy three = POLICY.withMaxAttempts(3);
        assertThat(three.allows(3, Duration.ZERO)).isTrue();
        assertThat(three.allows(4, Duration.ZERO)).isFalse();
        ReconnectPolicy minute = POLICY.withGiveUpAfter(Duration.ofMinutes(1));
        assertThat(minute.allows(100, Duration.ofSeconds(59))).isTrue();
        assertThat(minute.allows(1, Duration.ofMinutes(1))).isFalse();
    }

    @Test
    void aConnectionIsStableAfterThirtySecondsByDefault() {
        assertThat(POLICY.stableAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(POLICY.stable(Duration.ofSeconds(30))).isTrue();
        assertThat(POLICY.stable(Duration.ofMillis(29_999))).isFalse();
        assertThat(POLICY.withStableAfter(Duration.ZERO).stable(Duration.ZERO)).isTrue();
        // The constructor from before stableAfter existed keeps working, with the default.
        assertThat(new ReconnectPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2), 0, 3, Duration.ZERO).stableAfter())
                .isEqualTo(ReconnectPolicy.DEFAULT_STABLE_AFTER);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> POLICY.withBackoff(Duration.ZERO, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.withJitter(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.withMaxAttempts(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.withStableAfter(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> POLICY.backoff(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
