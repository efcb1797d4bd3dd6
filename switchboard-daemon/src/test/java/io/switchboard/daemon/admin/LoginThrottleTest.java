package io.switchboard.daemon.admin;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class LoginThrottleTest {
    private final ManualTicker ticker = new ManualTicker();
    private final LoginThrottle throttle = new LoginThrottle(ticker);

    private void fail(String address, String user, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(address, user);
        }
    }

    @Test
    void oneUserTriedFromManyAddressesIsLockedForAll() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            throttle.failed("10.0.0." + i, "otto");
        }
        assertThat(throttle.waitFor("10.0.0.99", "otto")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("10.0.0.99", "ann")).isZero();
    }

    @Test
    void oneAddressTryingManyUsersIsLockedForAll() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES + 1; i++) {
            throttle.failed("10.0.0.1", "user" + i);
        }
        assertThat(throttle.waitFor("10.0.0.1", "ann")).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.waitFor("10.0.0.2", "ann")).isZero();
    }

    @Test
    void aSuccessClearsItsNameButNotItsAddress() {
        for (int i = 0; i < LoginThrottle.FREE_FAILURES; i++) {
            throttle.failed("10.0.0.1", "victim" + i);
        }
        // A valid account of the guesser's own does not launder the address's guesses at others.
        throttle.succeeded("mallory");
        throttle.failed("10.0.0.1", "victim");
        assertThat(throttle.waitFor("10.0.0.1", "anyone")).isEqualTo(Duration.ofSeconds(1));

        fail("10.0.0.2", "otto", LoginThrottle.FREE_FAILURES + 1);
        throttle.succeeded("otto");
        assertThat(throttle.waitFor("10.0.0.3", "otto")).isZero();
    }

    @Test
    void theLockDoublesUpToItsCapAndIsForgottenWhenQuiet() {
        fail("a", "u", LoginThrottle.FREE_FAILURES + 3);
        assertThat(throttle.waitFor("a", "u")).isEqualTo(Duration.ofSeconds(4));
        fail("a", "u", 40);
        assertThat(throttle.waitFor("a", "u")).isEqualTo(LoginThrottle.MAX_LOCK);
        // Forgotten once quiet that long past its lock's end.
        ticker.advance(LoginThrottle.MAX_LOCK.plus(LoginThrottle.FORGET_AFTER).plusSeconds(1));
        assertThat(throttle.waitFor("a", "u")).isZero();
        throttle.failed("a", "u");
        assertThat(throttle.waitFor("a", "u")).isZero();
    }

    @Test
    void theTableIsBounded() {
        for (int i = 0; i < LoginThrottle.MAX_KEYS + 10; i++) {
            throttle.failed("a", "u" + i);
        }
        // The address key, failed on every call, is kept; the oldest user keys went.
        assertThat(throttle.waitFor("b", "u0")).isZero();
        assertThat(throttle.waitFor("a", "x")).isEqualTo(LoginThrottle.MAX_LOCK);
    }
}
