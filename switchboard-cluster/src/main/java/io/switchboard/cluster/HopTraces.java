package io.switchboard.cluster;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * What the hop timestamps of answered requests say (seed 000's trace: each process appends one as an envelope leaves
 * it, and a response carries its request's): the time of each hop, in {@code switchboard.cluster.hop.latency{hop}}
 * ({@code hop} 1 is from the gate's send to the node's answer, 2 the answer's way back, and so on; past
 * {@value #LAST_HOP} hops they share the last tag), and the last {@value #KEPT} traces for a look by hand. Stamps of
 * processes on other machines differ by their clocks' offset: a hop that comes out negative is not timed.
 *
 * <p>Sampled: one request in {@value #SAMPLE_EVERY}, chosen by its id on the gate (the ids run from 1 in sequence
 * but for an id skipped now and then, so a gate's first request is one), is timed and kept. Timing every answer cost
 * the gate a clock read and a timer record per hop on each request, about 2 % of its CPU on the echo benchmark; a
 * sample shows the same distribution.
 */
public final class HopTraces {
    /** Traces kept for {@link #recent()}. */
    public static final int KEPT = 32;
    /** Hops with a tag of their own; later ones share the last. */
    public static final int LAST_HOP = 4;
    /** One request in this many is traced. */
    public static final int SAMPLE_EVERY = 16;

    /** One answered request: its id on the gate, when it was answered (µs since the epoch), and each hop's µs. */
    public record Trace(long requestId, long answeredAtMicros, List<Long> hopMicros) {
    }

    private final Clock clock;
    private final Timer[] hops = new Timer[LAST_HOP];
    /** As answered: the trace is made only when {@link #recent()} asks, not once per request. */
    private record Kept(long requestId, long answeredAtMicros, long[] hopMicros) {
        Trace trace() {
            return new Trace(requestId, answeredAtMicros, Arrays.stream(hopMicros).boxed().toList());
        }
    }

    private final AtomicReferenceArray<Kept> ring = new AtomicReferenceArray<>(KEPT);
    private final AtomicLong traced = new AtomicLong();

    HopTraces(MeterRegistry meters, Clock clock) {
        this.clock = clock;
        for (int i = 0; i < LAST_HOP; i++) {
            hops[i] = Timer.builder("switchboard.cluster.hop.latency")
                    .tag("hop", i + 1 == LAST_HOP ? LAST_HOP + "+" : Integer.toString(i + 1))
                    .description("time of each hop of a request and its answer, from the envelopes' hop timestamps;"
                            + " one request in " + SAMPLE_EVERY + " is timed")
                    .register(meters);
        }
    }

    /**
     * A response arrived for the client's request {@code requestId}; its hop timestamps are µs since the epoch, in
     * order. Traced when its id on the gate (the response's) falls in the sample.
     */
    public void answered(long requestId, Envelope response) {
        int count = response.getTimestampCount();
        if (count == 0 || (Envelopes.requestId(response) - 1) % SAMPLE_EVERY != 0) {
            return;
        }
        long now = Envelopes.epochMicros(clock);
        long[] times = new long[count];
        long previous = response.getTimestamp(0);
        for (int i = 1; i <= count; i++) {
            long at = i < count ? response.getTimestamp(i) : now;
            long hop = at - previous;
            times[i - 1] = hop;
            if (hop >= 0) {
                hops[Math.min(i, LAST_HOP) - 1].record(hop, TimeUnit.MICROSECONDS);
            }
            previous = at;
        }
        ring.set((int) (traced.getAndIncrement() % KEPT), new Kept(requestId, now, times));
    }

    /** The last traces, newest first. */
    public List<Trace> recent() {
        long count = traced.get();
        List<Trace> recent = new ArrayList<>(KEPT);
        for (long i = count - 1; i >= 0 && i >= count - KEPT; i--) {
            Kept kept = ring.get((int) (i % KEPT));
            if (kept != null) {
                recent.add(kept.trace());
            }
        }
        return recent;
    }
}
