package io.switchboard.gate;


import java.util.Collection;

/** The gate's sessions by id (seed 002's {@code ChannelMap}). Implementations must be thread-safe. */
public interface ChannelMap {
    void add(GateSession session);

    void remove(long id);

    /** The session with this id, or {@code null}. */
    GateSession get(long id);

    /** A snapshot of all sessions. */
    Collection<GateSession> all();

    int size();
}
