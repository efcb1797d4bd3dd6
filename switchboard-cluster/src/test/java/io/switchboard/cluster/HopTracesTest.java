package io.switchboard.cluster;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hop timestamps read at the gate: a time per hop, the last one up to the answer's arrival; the last traces kept; one
 * request in {@link HopTraces#SAMPLE_EVERY} by its gate id.
 */
class HopTracesTest {
    private static final long T0 = 1_700_000_000_000_000L;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final HopTraces traces = new HopTraces(meters,
            Clock.fixed(Instant.ofEpochSecond(0, (T0 + 900) * 1_000), ZoneOffset.UTC));

    @Test
    void eachHopIsTimedAndTheTraceKept() {
        traces.answered(7, stamped(T0, T0 + 600));

        assertThat(traces.recent()).singleElement().satisfies(trace -> {
            assertThat(trace.requestId()).isEqualTo(7);
            assertThat(trace.hopMicros()).containsExactly(600L, 300L);
            assertThat(trace.answeredAtMicros()).isEqualTo(T0 + 900);
        });
        assertThat(hop("1").totalTime(TimeUnit.MICROSECONDS)).isEqualTo(600);
        assertThat(hop("2").totalTime(TimeUnit.MICROSECONDS)).isEqualTo(300);
    }

    @Test
    void aNegativeHopFromAnotherMachinesClockIsKeptButNotTimedAndLongTripsShareTheLastTag() {
        traces.answered(1, stamped(T0, T0 + 1_000, T0 + 100, T0 + 200, T0 + 300));

        assertThat(traces.recent().get(0).hopMicros()).containsExactly(1_000L, -900L, 100L, 100L, 600L);
        assertThat(hop("2").count()).isZero();
        assertThat(hop(HopTraces.LAST_HOP + "+").count()).as("hops 4 and 5").isEqualTo(2);
    }

    @Test
    void onlyTheLastTracesAreKeptNewestFirst() {
        for (long id = 1; id <= HopTraces.KEPT + 5; id++) {
            traces.answered(id, stamped(T0));
        }
        traces.answered(999, stamped());

        assertThat(traces.recent()).hasSize(HopTraces.KEPT);
        assertThat(traces.recent().get(0).requestId()).isEqualTo(HopTraces.KEPT + 5);
        assertThat(traces.recent().get(HopTraces.KEPT - 1).requestId()).isEqualTo(6);
    }

    @Test
    void onlyTheSampledGateIdsAreTraced() {
        for (long gateId = 1; gateId <= 4 * HopTraces.SAMPLE_EVERY; gateId++) {
            traces.answered(100 + gateId, stampedAs(gateId, T0, T0 + 600));
        }

        assertThat(traces.recent()).extracting(HopTraces.Trace::requestId).containsExactly(
                101L + 3 * HopTraces.SAMPLE_EVERY, 101L + 2 * HopTraces.SAMPLE_EVERY, 101L + HopTraces.SAMPLE_EVERY,
                101L);
        assertThat(hop("1").count()).isEqualTo(4);
    }

    /** A response, under a gate id in the sample, carrying these hop timestamps. */
    private static Envelope stamped(long... stamps) {
        return stampedAs(1, stamps);
    }

    private static Envelope stampedAs(long gateId, long... stamps) {
        EnvelopeBuilder response = Envelopes.builder(Kind.RESPONSE).requestId(gateId);
        for (long stamp : stamps) {
            response.timestamp(stamp);
        }
        return response.build();
    }

    private io.micrometer.core.instrument.Timer hop(String hop) {
        return meters.get("switchboard.cluster.hop.latency").tag("hop", hop).timer();
    }
}
