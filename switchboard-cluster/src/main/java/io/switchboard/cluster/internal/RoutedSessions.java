package io.switchboard.cluster.internal;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.api.errors.SessionErrors;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The router's {@link RoutedSession}s by session id: one from the session's {@code connected} to its
 * {@code disconnected}, so the table holds exactly the gate's open sessions and never outlives them.
 */
final class RoutedSessions {
    private final Map<Long, RoutedSession> sessions = new ConcurrentHashMap<>();

    void open(Session session) {
        sessions.put(session.id(), new RoutedSession(session));
    }

    /** Forgets the session; returns what was kept about it, or {@code null}. */
    RoutedSession close(long sessionId) {
        return sessions.remove(sessionId);
    }

    /** The open session's state, or {@code null} once it closed. */
    RoutedSession get(long sessionId) {
        return sessions.get(sessionId);
    }

    /** The open session's state; refused when it is closed already. */
    RoutedSession require(Session session) {
        RoutedSession routed = sessions.get(session.id());
        if (routed == null) {
            throw new SwitchboardException(SessionErrors.NO_SUCH_SESSION, "session " + session.id() + " is closed");
        }
        return routed;
    }

    Collection<RoutedSession> all() {
        return List.copyOf(sessions.values());
    }

    int size() {
        return sessions.size();
    }
}
