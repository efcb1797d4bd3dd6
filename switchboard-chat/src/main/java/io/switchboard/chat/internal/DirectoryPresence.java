package io.switchboard.chat.internal;

import io.switchboard.api.Session;
import io.switchboard.api.OnlineUsers;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who is online across a cluster: the session directory behind {@link OnlineUsers}. Logins bind through the
 * session's gate, which kicks the user's older session wherever it is; pushes reach the user on any gate.
 */
public final class DirectoryPresence implements Presence {
    private final OnlineUsers users;
    private final Set<Session> here = ConcurrentHashMap.newKeySet();

    public DirectoryPresence(OnlineUsers users) {
        this.users = users;
    }

    @Override
    public CompletableFuture<Void> login(long userId, Session session) {
        return users.login(session, String.valueOf(userId)).thenRun(() -> {
            if (here.add(session)) {
                session.onClose((closed, reason) -> here.remove(closed));
            }
        });
    }

    @Override
    public CompletableFuture<Void> logout(long userId, Session session) {
        here.remove(session);
        return users.logout(session).thenApply(removed -> null);
    }

    @Override
    public void push(Collection<Long> userIds, Long except, String route, Object body) {
        for (Long userId : userIds) {
            if (!userId.equals(except)) {
                // Offline users (USER_OFFLINE) read the message on their next sync.
                users.push(String.valueOf(userId), route, body).exceptionally(e -> 0);
            }
        }
    }

    @Override
    public CompletableFuture<Boolean> isOnline(long userId) {
        return users.lookup(String.valueOf(userId)).thenApply(at -> !at.isEmpty());
    }

    @Override
    public int size() {
        return here.size();
    }
}
