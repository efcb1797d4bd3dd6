package io.switchboard.gate;


/** Told when sessions open and close (seed 002's {@code StateListener}). Called on I/O threads; do not block. */
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
}
