package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.gate.KickCode;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The gate's meters: connections (opened, closed, active), messages in and out, kicks by {@link KickCode},
 * protocol errors. Names are dotted Micrometer names; Prometheus sees {@code switchboard_gate_...}. Every series
 * exists from the start: the set of kick reasons is fixed, whatever clients send.
 */
public final class GateMetrics {
    private final MeterRegistry registry;
    private final AtomicLong active = new AtomicLong();
    private final Counter opened;
    private final Counter closed;
    private final Counter messagesIn;
    private final Counter messagesOut;
    private final Counter protocolErrors;
    private final Map<KickCode, Counter> kicks = new EnumMap<>(KickCode.class);

    public GateMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("switchboard.gate.connections", active, AtomicLong::get)
                .description("client connections open now").register(registry);
        opened = Counter.builder("switchboard.gate.connections.opened").register(registry);
        closed = Counter.builder("switchboard.gate.connections.closed").register(registry);
        messagesIn = Counter.builder("switchboard.gate.messages.in")
                .description("requests and notifies received").register(registry);
        messagesOut = Counter.builder("switchboard.gate.messages.out")
                .description("responses and pushes sent").register(registry);
        protocolErrors = Counter.builder("switchboard.gate.protocol.errors")
                .description("connections closed for breaking the protocol").register(registry);
        for (KickCode code : KickCode.values()) {
            kicks.put(code, Counter.builder("switchboard.gate.kicks").tag("reason", code.tag())
                    .description("connections the gate ended, by reason").register(registry));
        }
    }

    /** Meters that go nowhere, for tests and embedded use without metrics. */
    public static GateMetrics noop() {
        return new GateMetrics(new SimpleMeterRegistry());
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void connectionOpened() {
        opened.increment();
        active.incrementAndGet();
    }

    public void connectionClosed() {
        closed.increment();
        active.decrementAndGet();
    }

    public long activeConnections() {
        return active.get();
    }

    public void messageIn() {
        messagesIn.increment();
    }

    public void messageOut() {
        messagesOut.increment();
    }

    public void messagesOut(int count) {
        messagesOut.increment(count);
    }

    public void protocolError() {
        protocolErrors.increment();
    }

    public void kicked(KickCode code) {
        kicks.get(code).increment();
    }

    /** How many connections were ended for {@code code}. */
    public long kicks(KickCode code) {
        return (long) kicks.get(code).count();
    }
}
