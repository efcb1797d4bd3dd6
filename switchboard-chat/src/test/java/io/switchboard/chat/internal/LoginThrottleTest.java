package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.MutableClock;
import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoginThrottleTest {
    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration MAX = Duration.ofSeconds(30);
    static final String CLIENT = "192.0.2.7";

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final LoginThrottle throttle = new LoginThrottle(clock, 5, 20, FIRST, MAX, 100);

    @Test
    void aNameLocksAfterItsFailuresForALockThatDoublesUpToTheCapAndExpires() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("ann", CLIENT);
            assertOpen("ann", CLIENT);
        }
        throttle.failed("ann", CLIENT);
        // Locks of 1, 2, 4, 8, 16 s, then the 30 s cap; each runs out on the clock alone.
        for (long lock : new long[] {1, 2, 4, 8, 16, 30, 30}) {
            assertLocked("ann", null, lock);
            clock.advance(Duration.ofSeconds(lock).minusMillis(1));
            assertLocked("ann", null, 1);
            clock.advance(Duration.ofMillis(1));
            assertOpen("ann", null);
            throttle.failed("ann", null);
        }
        assertOpen("bob", CLIENT);
    }

    @Test
    void successClearsTheNameButNotTheClient() {
        for (int i = 0; i < 19; i++) {
            throttle.failed(i % 2 == 0 ? "ann" : null, CLIENT);
        }
        throttle.succeeded("ann");
        for (int i = 0; i < 4; i++) {
            assertOpen("ann", null);
            throttle.failed("ann", null);
        }
        assertOpen("ann", null);
        throttle.failed("bob", CLIENT);   // the client's 20th
        assertLocked("carl", CLIENT, 1);
        assertOpen("carl", "192.0.2.8");
    }

    @Test
    void aClientLocksAcrossNames() {
        for (int i = 0; i < 20; i++) {
            assertOpen("user" + i, CLIENT);
            throttle.failed("user" + i, CLIENT);
        }
        assertLocked("ann", CLIENT, 1);
        assertOpen("ann", null);
        clock.advance(FIRST);
        assertOpen("ann", CLIENT);
    }

    @Test
    void aQuietKeyIsForgotten() {
        for (int i = 0; i < 5; i++) {
            throttle.failed("ann", CLIENT);
        }
        clock.advance(FIRST.plus(MAX).minusMillis(1));
        throttle.failed("ann", CLIENT);   // not yet forgotten: the sixth failure locks for 2 s
        assertLocked("ann", null, 2);
        clock.advance(Duration.ofSeconds(2).plus(MAX));
        throttle.failed("ann", CLIENT);   // forgotten: a first failure again
        assertOpen("ann", CLIENT);
        assertThat(throttle.trackedNames()).isEqualTo(1);
    }

    @Test
    void theTablesStayWithinTheirCapacity() {
        for (int i = 0; i < 10_000; i++) {
            throttle.failed("name" + i, "10.0." + (i / 256) + "." + (i % 256));
            throttle.check("other" + i, "172.16." + (i / 256) + "." + (i % 256));
        }
        assertThat(throttle.trackedNames()).isEqualTo(100);
        assertThat(throttle.trackedClients()).isEqualTo(100);
        // The least recently used went first: a key that keeps failing is kept.
        for (int i = 0; i < 300; i++) {
            throttle.failed("target", null);
            throttle.failed("cycled" + i, null);
        }
        assertLocked("target", null, MAX.toSeconds());
    }

    @Test
    void clientsAreTheirIpOrTheirIpv6Slash64() throws Exception {
        assertThat(LoginThrottle.clientOf(new InetSocketAddress(InetAddress.getByName("192.0.2.7"), 4000)))
                .isEqualTo("192.0.2.7");
        String a = LoginThrottle.clientOf(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:aa::1"), 1));
        String b = LoginThrottle.clientOf(new InetSocketAddress(InetAddress.getByName("2001:db8:1:2:bb::9"), 2));
        String c = LoginThrottle.clientOf(new InetSocketAddress(InetAddress.getByName("2001:db8:1:3::1"), 3));
        assertThat(a).isEqualTo("2001:db8:1:2::/64").isEqualTo(b).isNotEqualTo(c);
        assertThat(LoginThrottle.clientOf(null)).isNull();
        assertThat(LoginThrottle.clientOf(InetSocketAddress.createUnresolved("example.org", 80))).isNull();
    }

    private void assertOpen(String name, String client) {
        assertThatCode(() -> throttle.check(name, client)).doesNotThrowAnyException();
    }

    private void assertLocked(String name, String client, long seconds) {
        assertThatThrownBy(() -> throttle.check(name, client))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ChatErrors.TOO_MANY_ATTEMPTS))
                .hasMessage("too many failed logins; try again in " + seconds + " s");
    }
}
