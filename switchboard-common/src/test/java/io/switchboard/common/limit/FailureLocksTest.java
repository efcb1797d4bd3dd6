package io.switchboard.common.limit;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class FailureLocksTest {
    private final ManualTicker ticker = new ManualTicker();
    private final FailureLocks locks = new FailureLocks(ticker, 3, Duration.ofSeconds(1), Duration.ofSeconds(5),
            Duration.ofMinutes(1), 4);

    @Test
    void aKeyLocksAtItsNthFailureForALockThatDoublesUpToTheCap() {
        locks.failed("k");
        locks.failed("k");
        assertThat(locks.lockLeft("k")).isZero();
        locks.failed("k");
        assertThat(locks.lockLeft("k")).isEqualTo(Duration.ofSeconds(1));
        locks.failed("k");
        assertThat(locks.lockLeft("k")).isEqualTo(Duration.ofSeconds(2));
        locks.failed("k");
        locks.failed("k");
        assertThat(locks.lockLeft("k")).isEqualTo(Duration.ofSeconds(5));
        ticker.advance(Duration.ofSeconds(2));
        assertThat(locks.lockLeft("k")).isEqualTo(Duration.ofSeconds(3));
        assertThat(locks.lockLeft("other")).isZero();
        assertThat(locks.lockLeft(null)).isZero();
    }

    @Test
    void aQuietKeyIsForgottenPastItsLockAndASuccessClearsIt() {
        for (int i = 0; i < 3; i++) {
            locks.failed("k");
            locks.failed("j");
        }
        ticker.advance(Duration.ofSeconds(1).plus(Duration.ofMinutes(1)).minusMillis(1));
        locks.failed("k"); // not forgotten yet: the fourth failure, a lock of 2 s
        assertThat(locks.lockLeft("k")).isEqualTo(Duration.ofSeconds(2));
        ticker.advance(Duration.ofMillis(1));
        locks.failed("j"); // forgotten: a first failure again
        assertThat(locks.lockLeft("j")).isZero();
        locks.forget("k");
        assertThat(locks.lockLeft("k")).isZero();
    }

    @Test
    void theTableKeepsItsCapacityDroppingTheLeastRecentlyUsed() {
        for (int i = 0; i < 10; i++) {
            locks.failed("k" + i);
        }
        assertThat(locks.size()).isEqualTo(4);
    }
}
