package io.switchboard.chat.internal;

import io.switchboard.gate.KickReasons;
import io.switchboard.api.Session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online in this process (standalone): one session per user (single login). A new login replaces the older
 * session, which is kicked with "logged in elsewhere"; a closing session leaves only if it is still the user's
 * current one.
 */
public final class LocalPresence implements Presence {
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();

    /** Makes {@code session} the user's one session, kicking the one it replaces. */
    public void online(long userId, Session session) {
        Session older = sessions.put(userId, session);
        session.onClose((closed, reason) -> sessions.remove(userId, closed));
        if (older != null && older != session) {
            older.kick(KickReasons.LOGGED_IN_ELSEWHERE);
        }
    }

    @Override
    public CompletableFuture<Void> login(long userId, Session session) {
        CompletableFuture<Void> bound = session.userId() == null
                ? session.bind(String.valueOf(userId)) : CompletableFuture.completedFuture(null);
        return bound.thenRun(() -> online(userId, session));
    }

    @Override
    public CompletableFuture<Void> logout(long userId, Session session) {
        sessions.remove(userId, session);
        return session.unbind();
    }

    @Override
    public CompletableFuture<Boolean> isOnline(long userId) {
        return CompletableFuture.completedFuture(sessions.containsKey(userId));
    }

    /** The user's session, or {@code null} when it is not online here. */
    public Session session(long userId) {
        return sessions.get(userId);
    }

    @Override
    public void push(Collection<Long> userIds, Long except, String route, Object body) {
        for (Long userId : userIds) {
            if (userId.equals(except)) {
                continue;
            }
            Session session = sessions.get(userId);
            if (session != null && session.isActive()) {
                // A push lost with a dropped connection is not lost for the user: it syncs on its next login.
                session.push(route, body).exceptionally(e -> null);
            }
        }
    }

    @Override
    public int size() {
        return sessions.size();
    }
}
