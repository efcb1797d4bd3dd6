package io.switchboard.gate;


/** Told when sessions open and close (seed 002's {@code StateListener}). Called on I/O threads; do not block. */
public interface StateListener {

    /** A session finished its handshake and is in the channel map. */
    default void connected(GateSession session) {
    }

    /** A session closed, for whatever reason; it is already out of the channel map. */
    void disconnected(GateSession session, String reason);

    StateListener NOOP = (session, reason) -> { };
}
