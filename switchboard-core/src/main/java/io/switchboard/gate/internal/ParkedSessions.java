package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.ChannelMap;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.OtherGates;
import io.switchboard.gate.StateListener;
import io.switchboard.metrics.GateMetrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The gate's sessions whose connection dropped without a clean close, each kept for its grace period (read on the
 * injected {@link Ticker}) for a client to resume; and the one place a session ends: out of the channel map, close
 * listeners (room leaves, logout) and the state listener, once. At most {@code maxParkedSessions} are parked; a drop
 * past that ends its session as if resume were off.
 */
public final class ParkedSessions {
    static final String GRACE_OVER = "resume grace period over";
    static final String BUFFER_OVERFLOW = "resume buffer overflow";
    static final String RELEASED = "resumed on another gate";

    private final boolean enabled;
    private final long graceNanos;
    private final int maxParked;
    private final int bufferBytes;
    private final Ticker ticker;
    private final long sweepNanos;
    private volatile boolean stopped;
    private final ChannelMap channels;
    private final StateListener listener;
    private final GateMetrics metrics;
    private final OtherGates others;
    /** {@code null} when events are off. */
    private final SessionEvents events;
    /** Parked sessions by id, with the ticker time their grace period ends. */
    private final Map<Long, Parked> parked = new ConcurrentHashMap<>();
    private final ResumeTokens tokens = new ResumeTokens();
    private ScheduledFuture<?> sweep;

    private record Parked(DefaultSession session, long deadlineNanos) {
    }

    public ParkedSessions(GateConfig config, ChannelMap channels, StateListener listener, GateMetrics metrics,
                          OtherGates others) {
        this.enabled = config.resumeEnabled();
        this.graceNanos = config.resumeGrace().toNanos();
        this.maxParked = config.maxParkedSessions();
        this.bufferBytes = config.resumeBufferBytes();
        this.ticker = config.ticker();
        this.sweepNanos = config.heartbeatCheckInterval().toNanos();
        this.channels = channels;
        this.listener = listener;
        this.metrics = metrics;
        this.others = others;
        this.events = SessionEvents.of(config.events());
        metrics.parkedSessions(parked::size, this::parkedBytes);
    }

    boolean enabled() {
        return enabled;
    }

    /** Where sessions publish their login and logout; {@code null} when events are off. */
    SessionEvents events() {
        return events;
    }

    /** A new session's resume secret; {@code null} when resume is off (the session then keeps no pushes). */
    byte[] newSecret() {
        return enabled ? tokens.newSecret() : null;
    }

    /** The token that resumes session {@code id} with {@code secret}: it names this gate in a cluster. */
    String token(long id, byte[] secret) {
        return ResumeTokens.format(others.selfNumber(), id, secret);
    }

    /** Whether {@code token} was made by this gate (in a cluster, gates number their tokens). */
    boolean madeHere(ResumeTokens.Token token) {
        return token.gate() == others.selfNumber();
    }

    /** {@code token} was made by another gate: ask it to release the session, which is not coming back there. */
    void releaseElsewhere(ResumeTokens.Token token, String text) {
        if (token.gate() != OtherGates.NO_NUMBER) {
            others.release(token.gate(), token.sessionId(), text);
        }
    }

    /**
     * Ends the session {@code text} resumes, now: its client went to another gate with it. Only the whole current
     * token does it, so nobody can end a session they do not hold; false when it does not.
     */
    public boolean release(String text) {
        ResumeTokens.Token token = ResumeTokens.parse(text);
        if (!enabled || token == null || !madeHere(token)
                || !(channels.get(token.sessionId()) instanceof DefaultSession session)
                || !session.heldBy(token.secret())) {
            return false;
        }
        session.close(RELEASED);
        return true;
    }

    int bufferBytes() {
        return bufferBytes;
    }

    /** Starts ending sessions whose grace period is over, checked every heartbeat check interval on {@code loop}. */
    public synchronized void start(EventExecutor loop) {
        if (enabled && sweep == null) {
            sweep = loop.scheduleWithFixedDelay(this::expireDue, sweepNanos, sweepNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Stops the sweep and ends every parked session (the gate is closing); nothing is parked from then on. */
    public synchronized void stop(String reason) {
        stopped = true;
        if (sweep != null) {
            sweep.cancel(false);
            sweep = null;
        }
        for (Parked p : List.copyOf(parked.values())) {
            end(p.session(), reason);
        }
    }

    /** The connection {@code ch} of {@code session} closed: park the session, or end it. */
    void connectionLost(DefaultSession session, Channel ch) {
        String reason = CloseReason.of(ch);
        // Once the gate is closing, a connection the shutdown closes is not a drop to park for: nothing would end it.
        if (enabled && !stopped && CloseReason.isDrop(ch) && parked.size() < maxParked && session.park(ch)) {
            parked.put(session.id(), new Parked(session, ticker.nanoTime() + graceNanos));
            metrics.sessionParked();
            listener.parked(session, reason);
            return;
        }
        if (enabled && CloseReason.isDrop(ch) && session.isOn(ch)) {
            metrics.parkRefused();
        }
        if (session.markClosedIfOn(ch)) {
            ended(session, reason);
        }
    }

    /** A half-open connection lost {@code session} to a resume: it is held like a parked one until the ack. */
    void heldForResume(DefaultSession session) {
        parked.put(session.id(), new Parked(session, ticker.nanoTime() + graceNanos));
    }

    /** {@code session} is on a new connection again. */
    void resumed(DefaultSession session, long replayed) {
        parked.remove(session.id());
        metrics.resumed();
        listener.resumed(session, replayed);
    }

    /** A parked session's buffer overflowed: it can no longer be resumed, so it ends now. */
    void overflowed(DefaultSession session) {
        metrics.parkedOverflowed();
        end(session, BUFFER_OVERFLOW);
    }

    /** Ends {@code session} now, whatever its connection (a kick or close of a parked one); once. */
    void end(DefaultSession session, String reason) {
        if (session.markClosed()) {
            ended(session, reason);
        }
    }

    /** Ends the parked sessions whose grace period is over. */
    void expireDue() {
        long now = ticker.nanoTime();
        List<DefaultSession> due = new ArrayList<>();
        for (Parked p : parked.values()) {
            if (now - p.deadlineNanos() >= 0 && p.session().expire()) {
                due.add(p.session());
            }
        }
        for (DefaultSession session : due) {
            metrics.parkedExpired();
            ended(session, GRACE_OVER);
        }
    }

    private void ended(DefaultSession session, String reason) {
        parked.remove(session.id());
        channels.remove(session.id());
        session.fireClosed(reason);
        if (events != null) {
            events.ended(session.id(), session.userId(), reason);
        }
        listener.disconnected(session, reason);
    }

    /** How many sessions are parked. */
    public int size() {
        return parked.size();
    }

    private long parkedBytes() {
        long total = 0;
        for (Parked p : parked.values()) {
            total += p.session().bufferedBytes();
        }
        return total;
    }
}
