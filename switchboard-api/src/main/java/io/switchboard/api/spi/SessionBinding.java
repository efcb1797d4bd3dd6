package io.switchboard.api.spi;

import io.switchboard.api.Session;

/**
 * Implemented by the framework's sessions: what an {@link io.switchboard.api.OnlineUsers} sets on a session once the
 * directory has answered. Handler code calls {@link Session#bind} instead, which goes through the directory.
 */
public interface SessionBinding {

    /** Records the user id the directory bound ({@code null}: unbound) on this session only. */
    void userIdBound(String userId);

    /** The binding side of {@code session}; fails for sessions the framework did not make. */
    static SessionBinding of(Session session) {
        if (session instanceof SessionBinding binding) {
            return binding;
        }
        throw new IllegalArgumentException("not a framework session: " + session.getClass().getName());
    }
}
