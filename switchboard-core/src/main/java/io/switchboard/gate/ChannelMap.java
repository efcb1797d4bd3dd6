package io.switchboard.gate;

import java.util.Collection;

/** The gate's sessions by id (seed 002's {@code ChannelMap}). Implementations must be thread-safe. */
public interface ChannelMap {
    void add(Session session);

    void remove(long id);

    /** The session with this id, or {@code null}. */
    Session get(long id);

    /** A snapshot of all sessions. */
    Collection<Session> all();

    int size();
}
