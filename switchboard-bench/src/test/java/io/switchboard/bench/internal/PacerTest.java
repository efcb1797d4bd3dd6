package io.switchboard.bench.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PacerTest {

    @Test
    void dueCountsFromTheStartAndDueTimesAreEvenlySpaced() {
        Pacer pacer = new Pacer(1_000_000_000L, 1000); // one a millisecond
        assertThat(pacer.due(1_000_000_000L)).isEqualTo(1);
        assertThat(pacer.next()).isEqualTo(1_000_000_000L);
        assertThat(pacer.due(1_004_500_000L)).isEqualTo(4);
        assertThat(pacer.next()).isEqualTo(1_001_000_000L);
        assertThat(pacer.next()).isEqualTo(1_002_000_000L);
        assertThat(pacer.due(1_004_500_000L)).isEqualTo(2);
        assertThat(pacer.sent()).isEqualTo(3);
    }

    @Test
    void fastRatesAreSentInBatches() {
        assertThat(Pacer.tickNanos(100)).isEqualTo(10_000_000L);
        assertThat(Pacer.tickNanos(1_000_000)).isEqualTo(200_000L);
    }
}
