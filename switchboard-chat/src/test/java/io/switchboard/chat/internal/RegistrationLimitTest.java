package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.MutableClock;
import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistrationLimitTest {
    private static final Duration WINDOW = Duration.ofMinutes(10);
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final RegistrationLimit limit = new RegistrationLimit(clock, 3, WINDOW, 2);

    private void assertRefused(String client, long seconds) {
        assertThatThrownBy(() -> limit.admit(client)).isInstanceOfSatisfying(SwitchboardException.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS);
            assertThat(e.getMessage()).endsWith("try again in " + seconds + " s");
        });
    }

    @Test
    void anAddressGetsItsLimitPerWindowFromItsFirstRegistration() {
        for (int i = 0; i < 3; i++) {
            limit.admit("192.0.2.1");
            clock.advance(Duration.ofMinutes(1));
        }
        assertRefused("192.0.2.1", 7 * 60);
        limit.admit("192.0.2.2");   // another address has its own count

        clock.advance(Duration.ofMinutes(7).minusMillis(1));
        assertRefused("192.0.2.1", 1);
        clock.advance(Duration.ofMillis(1));
        limit.admit("192.0.2.1");
    }

    @Test
    void unknownAddressesAreNotLimitedAndTheTableIsBounded() {
        for (int i = 0; i < 10; i++) {
            limit.admit(null);
        }
        assertThat(limit.trackedClients()).isZero();
        limit.admit("192.0.2.1");
        limit.admit("192.0.2.2");
        limit.admit("192.0.2.3");
        assertThat(limit.trackedClients()).isEqualTo(2);
    }
}
