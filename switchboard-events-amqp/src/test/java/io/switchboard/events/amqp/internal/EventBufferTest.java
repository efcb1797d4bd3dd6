package io.switchboard.events.amqp.internal;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventBufferTest {

    private static Event event(long n, int bodyBytes) {
        return new Event(n, "k", new byte[bodyBytes], 0);
    }

    private static Event event(long n) {
        return new Event(n, "k", ("e" + n).getBytes(StandardCharsets.UTF_8), 0);
    }

    private static List<Long> drain(EventBuffer buffer) {
        List<Long> numbers = new ArrayList<>();
        for (Event e = buffer.next(); e != null; e = buffer.next()) {
            numbers.add(e.number());
        }
        return numbers;
    }

    @Test
    void refusesPastTheCountOrTheBytesAndKeepsWhatItHas() {
        EventBuffer byCount = new EventBuffer(2, 1_000);
        assertThat(byCount.offer(event(1))).isTrue();
        assertThat(byCount.offer(event(2))).isTrue();
        assertThat(byCount.offer(event(3))).isFalse();
        assertThat(byCount.size()).isEqualTo(2);

        EventBuffer byBytes = new EventBuffer(100, 50);
        assertThat(byBytes.offer(event(1, 30))).isTrue();
        assertThat(byBytes.offer(event(2, 30))).isFalse();
        assertThat(byBytes.offer(event(3, 10))).isTrue();
        assertThat(byBytes.bytes()).isEqualTo(30 + 1 + 10 + 1);
        assertThat(drain(byBytes)).containsExactly(1L, 3L);
        assertThatThrownBy(() -> new EventBuffer(0, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anEventStaysCountedUntilConfirmed() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        long generation = buffer.newChannel();
        for (long n = 1; n <= 3; n++) {
            buffer.offer(event(n));
            buffer.sent(generation, n, buffer.next());
        }
        assertThat(buffer.size()).isEqualTo(3);
        assertThat(buffer.confirmed(generation, 2, true)).isEqualTo(2);
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.confirmed(generation, 3, false)).isEqualTo(1);
        assertThat(buffer.isEmpty()).isTrue();
        assertThat(buffer.bytes()).isZero();
    }

    @Test
    void nackedAndUnconfirmedEventsAreSentAgainInOrderBeforeNewOnes() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        long generation = buffer.newChannel();
        for (long n = 1; n <= 4; n++) {
            buffer.offer(event(n));
            buffer.sent(generation, n, buffer.next());
        }
        buffer.offer(event(5));
        assertThat(buffer.nacked(generation, 2, true)).isEqualTo(2);
        assertThat(drain(buffer)).containsExactly(1L, 2L, 5L);

        EventBuffer lost = new EventBuffer(10, 1_000);
        long first = lost.newChannel();
        for (long n = 1; n <= 3; n++) {
            lost.offer(event(n));
            lost.sent(first, n, lost.next());
        }
        lost.offer(event(4));
        long second = lost.newChannel();
        assertThat(lost.unconfirmed()).isZero();
        assertThat(lost.size()).isEqualTo(4);
        // A late confirm of the dead channel confirms nothing of the new one.
        assertThat(lost.confirmed(first, 3, true)).isZero();
        assertThat(drain(lost)).containsExactly(1L, 2L, 3L, 4L);
        assertThat(second).isGreaterThan(first);
    }

    @Test
    void anEventSentAfterItsChannelDiedGoesBackToTheFront() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        long old = buffer.newChannel();
        buffer.offer(event(1));
        buffer.offer(event(2));
        Event taken = buffer.next();
        buffer.newChannel();
        buffer.sent(old, 7, taken);
        assertThat(buffer.unconfirmed()).isZero();
        assertThat(drain(buffer)).containsExactly(1L, 2L);
    }

    @Test
    void tellsWhatTheBrokerSaidSinceTheLastLookARefusalFirst() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        long generation = buffer.newChannel();
        for (long n = 1; n <= 3; n++) {
            buffer.offer(event(n));
            buffer.sent(generation, n, buffer.next());
        }
        assertThat(buffer.takeOutcome()).isEqualTo(EventBuffer.Outcome.NONE);
        buffer.confirmed(generation, 1, false);
        assertThat(buffer.refused()).isFalse();
        buffer.nacked(generation, 2, false);
        assertThat(buffer.refused()).isTrue();
        buffer.confirmed(generation, 3, false);
        assertThat(buffer.takeOutcome()).isEqualTo(EventBuffer.Outcome.REFUSED);
        assertThat(buffer.refused()).isFalse();
        assertThat(buffer.takeOutcome()).isEqualTo(EventBuffer.Outcome.NONE);

        // A late nack of a dead channel settles nothing and says nothing.
        long next = buffer.newChannel();
        buffer.nacked(generation, 3, true);
        assertThat(buffer.takeOutcome()).isEqualTo(EventBuffer.Outcome.NONE);
        buffer.sent(next, 1, buffer.next());
        buffer.confirmed(next, 1, false);
        assertThat(buffer.takeOutcome()).isEqualTo(EventBuffer.Outcome.ACCEPTED);
    }

    @Test
    void dropsARefusedEventOnlyWhileItIsNextToSend() {
        EventBuffer buffer = new EventBuffer(10, 1_000);
        long generation = buffer.newChannel();
        buffer.offer(event(1));
        buffer.offer(event(2));
        Event refused = buffer.next();
        assertThat(buffer.dropFirst(refused)).isFalse(); // in flight, not waiting
        buffer.sent(generation, 1, refused);
        buffer.nacked(generation, 1, false);
        assertThat(buffer.dropFirst(refused)).isTrue();
        assertThat(buffer.dropFirst(refused)).isFalse();
        assertThat(buffer.size()).isEqualTo(1);
        assertThat(buffer.bytes()).isEqualTo(event(2).size());
        assertThat(drain(buffer)).containsExactly(2L);
    }
}
