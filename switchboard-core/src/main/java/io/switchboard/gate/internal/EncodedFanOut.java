package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.EventExecutor;
import io.switchboard.api.FanOut;
import io.switchboard.api.Session;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The gate's {@link FanOut}: encodes the push once per distinct client encoding ({@link PushEncoding}: Pomelo with
 * its route dictionary and body compression, DOMI with its dictionary, or KIM; mixed rooms hold all three), and gives each session a retained duplicate of that
 * one buffer. Each duplicate joins its session's outbox, behind the responses and pushes written before it, so
 * order per session holds; the drains are grouped by event loop: one task per loop drains all of its sessions,
 * each with one flush, instead of one cross-thread task per session.
 */
public final class EncodedFanOut implements FanOut {
    public static final EncodedFanOut INSTANCE = new EncodedFanOut();
    /**
     * The most pushes a thread holds back before it writes them anyway: holding trades latency for fewer writes, and
     * this bounds the latency a long burst adds to its first pushes (a few hundred microseconds of fanning out).
     */
    static final int MAX_HELD_PUSHES = 4096;
    /** The drains this thread holds back until {@link #writeHeld()}, or {@code null} when it holds none. */
    private static final ThreadLocal<Held> HELD = new ThreadLocal<>();

    /** A thread's held drains, by event loop, and how many pushes wait behind them. */
    private static final class Held {
        Map<EventExecutor, List<DefaultSession>> drains = new IdentityHashMap<>();
        int pushes;

        /** Drains what is held so far; the thread may go on holding. */
        void write() {
            Map<EventExecutor, List<DefaultSession>> due = drains;
            drains = new IdentityHashMap<>();
            pushes = 0;
            due.forEach(EncodedFanOut::drainOn);
        }
    }

    private EncodedFanOut() {
    }

    /**
     * From now on this thread's fan-outs queue their pushes but hold back the drains until {@link #writeHeld()}, so a
     * session that gets several pushes meanwhile writes them with one write and one flush. Does nothing when the
     * thread holds already.
     */
    public static void hold() {
        if (HELD.get() == null) {
            HELD.set(new Held());
        }
    }

    /** Drains what this thread held back since {@link #hold()}, and holds no more. */
    public static void writeHeld() {
        Held held = HELD.get();
        if (held != null) {
            HELD.remove();
            held.write();
        }
    }

    @Override
    public void push(List<? extends Session> sessions, String route, byte[] body) {
        Map<PushEncoding, ByteBuf> encoded = new HashMap<>();
        Held held = HELD.get();
        Map<EventExecutor, List<DefaultSession>> drains = held != null ? held.drains : new IdentityHashMap<>();
        int offered = 0;
        // A handler fanning out to its own session: the answers its burst gathered so far go before the push.
        DefaultSession inBurst = DefaultSession.inBurst();
        try {
            for (Session s : sessions) {
                if (!(s instanceof DefaultSession session)) {
                    s.push(route, body);
                    continue;
                }
                if (!session.takesPushes()) {
                    continue;
                }
                if (session == inBurst) {
                    session.publishOwnBurst();
                }
                Channel channel = session.channel();
                PushEncoding encoding = session.pushEncoding();
                ByteBuf once = encoded.computeIfAbsent(encoding, e -> e.encodePush(channel.alloc(), route, body));
                if (session.offer(encoding.message(once.retainedDuplicate()))) {
                    drains.computeIfAbsent(channel.eventLoop(), l -> new ArrayList<>()).add(session);
                }
                offered++;
            }
        } finally {
            encoded.values().forEach(ByteBuf::release);
            // Even after a failure: what was offered must be written (or given back), now or when the hold ends.
            if (held == null) {
                drains.forEach(EncodedFanOut::drainOn);
            } else if ((held.pushes += offered) >= MAX_HELD_PUSHES) {
                held.write();
            }
        }
    }

    /**
     * Drains {@code sessions} in one task of their loop, also when called on that loop: a fan-out on an I/O thread (a
     * non-blocking handler's broadcast) then lets the rest of its read fan out first, so each session writes the
     * pushes of the whole read at once instead of one write per broadcast.
     */
    private static void drainOn(EventExecutor loop, List<DefaultSession> sessions) {
        Runnable task = () -> sessions.forEach(DefaultSession::drainNow);
        try {
            loop.execute(task);
        } catch (RejectedExecutionException e) {
            sessions.forEach(s -> s.drainRejected(e)); // the gate is shutting down
        }
    }
}
