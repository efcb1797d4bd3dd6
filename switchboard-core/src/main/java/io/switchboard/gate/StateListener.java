package io.switchboard.gate;

import io.switchboard.api.SessionListener;


/**
 * Told when sessions open and close (seed 002's {@code StateListener}), with the gate's own view of each session: for
 * the framework's code in a gate. Applications give the servers a {@link SessionListener}, which sees plain
 * {@link io.switchboard.api.Session}s; {@link #of} adapts one. Called on I/O threads; do not block.
 */
public interface StateListener {

    /** A session finished its handshake and is in the channel map. */
    default void connected(GateSession session) {
    }

    /** A session closed, for whatever reason; it is already out of the channel map. */
    void disconnected(GateSession session, String reason);

    /**
     * A session's connection dropped without a clean close and the session is parked for a resume: it keeps its id,
     * user, attributes and rooms, and pushes to it are buffered; {@link #disconnected} follows only if the grace
     * period ends without a resume.
     */
    default void parked(GateSession session, String reason) {
    }

    /** A parked session was resumed on a new connection and {@code replayed} pushes it had missed were sent again. */
    default void resumed(GateSession session, long replayed) {
    }

    /** A handshake asked to resume a session and got a fresh one, {@code session}, instead (after {@link #connected}). */
    default void notResumed(GateSession session, ResumeRefusal why) {
    }

    StateListener NOOP = (session, reason) -> { };

    /** Tells {@code listener} what this would be told. */
    static StateListener of(SessionListener listener) {
        return new StateListener() {
            @Override
            public void connected(GateSession session) {
                listener.opened(session);
            }

            @Override
            public void disconnected(GateSession session, String reason) {
                listener.closed(session, reason);
            }

            @Override
            public void parked(GateSession session, String reason) {
                listener.parked(session, reason);
            }

            @Override
            public void resumed(GateSession session, long replayed) {
                listener.resumed(session, replayed);
            }

            @Override
            public void notResumed(GateSession session, ResumeRefusal why) {
                listener.notResumed(session, why.tag());
            }
        };
    }
}
