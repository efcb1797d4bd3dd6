package io.switchboard.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.ResumeRefusal;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

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
    private final Map<ClientProtocol, Counter> detected = new EnumMap<>(ClientProtocol.class);
    /** Outcome tag of a resume that worked; the others are {@link ResumeRefusal#tag()}s. */
    public static final String RESUMED = "resumed";
    private final Counter resumed;
    private final Map<ResumeRefusal, Counter> resumeRefusals = new EnumMap<>(ResumeRefusal.class);
    private final Counter parked;
    private final Counter parkRefused;
    private final Counter parkedExpired;
    private final Counter parkedOverflowed;
    private volatile LongSupplier parkedCount = () -> 0;
    private volatile LongSupplier parkedBytes = () -> 0;

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
        for (ClientProtocol protocol : ClientProtocol.values()) {
            detected.put(protocol, Counter.builder("switchboard.gate.connections.detected")
                    .tag("protocol", protocol.tag())
                    .description("connections by the client protocol their first bytes chose").register(registry));
        }
        String resumes = "switchboard.gate.resumes";
        String resumesHelp = "handshakes that asked to resume a session, by outcome";
        resumed = Counter.builder(resumes).tag("outcome", RESUMED).description(resumesHelp).register(registry);
        for (ResumeRefusal refusal : ResumeRefusal.values()) {
            resumeRefusals.put(refusal, Counter.builder(resumes).tag("outcome", refusal.tag())
                    .description(resumesHelp).register(registry));
        }
        parked = Counter.builder("switchboard.gate.parks")
                .description("sessions parked after their connection dropped").register(registry);
        parkRefused = Counter.builder("switchboard.gate.parks.refused")
                .description("dropped sessions ended at once because the parked-session cap was reached")
                .register(registry);
        parkedExpired = Counter.builder("switchboard.gate.parks.expired")
                .description("parked sessions ended by the end of their grace period").register(registry);
        parkedOverflowed = Counter.builder("switchboard.gate.parks.overflowed")
                .description("parked sessions ended because their push buffer overflowed").register(registry);
        Gauge.builder("switchboard.gate.sessions.parked", this, m -> m.parkedCount.getAsLong())
                .description("sessions parked now, waiting for a resume").register(registry);
        Gauge.builder("switchboard.gate.sessions.parked.bytes", this, m -> m.parkedBytes.getAsLong())
                .description("bytes of pushes kept for parked sessions").register(registry);
    }

    /** Where the parked-session gauges read from. */
    public void parkedSessions(LongSupplier count, LongSupplier bytes) {
        this.parkedCount = count;
        this.parkedBytes = bytes;
    }

    public void sessionParked() {
        parked.increment();
    }

    public void parkRefused() {
        parkRefused.increment();
    }

    public void parkedExpired() {
        parkedExpired.increment();
    }

    public void parkedOverflowed() {
        parkedOverflowed.increment();
    }

    public void resumed() {
        resumed.increment();
    }

    public void resumeRefused(ResumeRefusal why) {
        resumeRefusals.get(why).increment();
    }

    /** How many resumes worked. */
    public long resumes() {
        return (long) resumed.count();
    }

    /** How many resumes were refused for {@code why}. */
    public long resumesRefused(ResumeRefusal why) {
        return (long) resumeRefusals.get(why).count();
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

    /** A connection's first bytes chose {@code protocol}. */
    public void protocolDetected(ClientProtocol protocol) {
        detected.get(protocol).increment();
    }

    /** How many connections chose {@code protocol}. */
    public long detected(ClientProtocol protocol) {
        return (long) detected.get(protocol).count();
    }

    public void kicked(KickCode code) {
        kicks.get(code).increment();
    }

    /** How many connections were ended for {@code code}. */
    public long kicks(KickCode code) {
        return (long) kicks.get(code).count();
    }
}
