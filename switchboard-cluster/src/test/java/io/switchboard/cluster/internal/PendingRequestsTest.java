package io.switchboard.cluster.internal;

import io.switchboard.common.time.ManualTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pending table is bounded, and expires by deadline order whatever the order the requests were added in. */
class PendingRequestsTest {
    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private final ManualTicker ticker = new ManualTicker();

    @Test
    void refusesPastItsCapacityAndTakesAgainOnceOneEnded() {
        PendingRequests<String> pending = new PendingRequests<>(ticker, 2);
        long a = pending.add(1, SECOND, "a");
        long b = pending.add(1, SECOND, "b");

        assertThat(pending.add(1, SECOND, "c")).as("full: refused, nothing recorded").isZero();
        assertThat(pending.size()).isEqualTo(2);

        assertThat(pending.complete(a).value()).isEqualTo("a");
        assertThat(pending.complete(a)).as("ends once").isNull();
        long c = pending.add(1, SECOND, "c");
        assertThat(c).isNotZero().isNotIn(a, b);
        assertThat(pending.size()).isEqualTo(2);
        assertThatThrownBy(() -> new PendingRequests<>(ticker, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void expiresInDeadlineOrderAndOnlyWhatIsDue() {
        PendingRequests<String> pending = new PendingRequests<>(ticker);
        pending.add(1, 3 * SECOND, "late");
        pending.add(1, SECOND, "early");
        long answered = pending.add(2, SECOND / 2, "answered");
        pending.add(2, 2 * SECOND, "middle");
        pending.complete(answered);

        ticker.advance(Duration.ofMillis(999));
        assertThat(pending.expire()).isEmpty();
        ticker.advance(Duration.ofMillis(1001));
        assertThat(pending.expire()).extracting(PendingRequests.Entry::value).containsExactly("early", "middle");
        assertThat(pending.expire()).isEmpty();
        assertThat(pending.size()).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(5));
        assertThat(pending.failNode(2)).isEmpty();
        assertThat(pending.failNode(1)).extracting(PendingRequests.Entry::value).containsExactly("late");
        assertThat(pending.expire()).as("a failed entry does not expire again").isEmpty();
        assertThat(pending.size()).isZero();
    }
}
