package io.switchboard.api;

/**
 * Told when client sessions open and close on a gate: what an application hooks in to track who is connected. Called
 * on I/O threads; do not block.
 */
public interface SessionListener {

    /** A session finished its handshake; it is bound already when the gate's acceptor bound a user. */
    default void opened(Session session) {
    }

    /** A session closed, for whatever reason (a parked one: its resume grace ended without a resume). */
    default void closed(Session session, String reason) {
    }

    /**
     * A session's connection dropped without a clean close and the session is parked for a resume: it keeps its id,
     * user, attributes and rooms, and pushes to it are buffered; {@link #closed} follows only if it is not resumed.
     */
    default void parked(Session session, String reason) {
    }

    /** A parked session was resumed on a new connection and {@code replayed} pushes it had missed were sent again. */
    default void resumed(Session session, long replayed) {
    }

    /**
     * A handshake asked to resume a session and got a fresh one, {@code session}, instead (after {@link #opened});
     * {@code why} is one of a fixed set, in lower case, such as {@code unknown_session}.
     */
    default void notResumed(Session session, String why) {
    }

    SessionListener NOOP = new SessionListener() {
    };
}
