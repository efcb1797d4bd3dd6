package io.switchboard.gate.internal;

import io.switchboard.protocol.PomeloMessage;

import java.util.ArrayList;

/**
 * The answers a worker thread gathers while it handles a burst of one session's messages ({@link
 * DefaultSession#beginBurst()}). Kept per thread, not per session: idle connections are counted in the hundred
 * thousands and never have a burst.
 */
final class Burst {
    private static final ThreadLocal<Burst> CURRENT = ThreadLocal.withInitial(Burst::new);

    /** The session whose burst this thread is handling, or {@code null} between bursts. */
    DefaultSession session;
    final ArrayList<PomeloMessage> answers = new ArrayList<>();

    private Burst() {
    }

    /** The calling thread's. */
    static Burst current() {
        return CURRENT.get();
    }
}
