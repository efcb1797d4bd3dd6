package io.switchboard.gate;


import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/** The default {@link ChannelMap}: a {@link ConcurrentHashMap}. */
public final class ConcurrentChannelMap implements ChannelMap {
    private final ConcurrentHashMap<Long, GateSession> sessions = new ConcurrentHashMap<>();

    @Override
    public void add(GateSession session) {
        sessions.put(session.id(), session);
    }

    @Override
    public void remove(long id) {
        sessions.remove(id);
    }

    @Override
    public GateSession get(long id) {
        return sessions.get(id);
    }

    @Override
    public Collection<GateSession> all() {
        return new ArrayList<>(sessions.values());
    }

    @Override
    public int size() {
        return sessions.size();
    }
}
