package io.switchboard.chat.internal;

import io.switchboard.api.Session;

import java.util.Collection;
import java.util.concurrent.CompletableFuture;

/**
 * Who is online, for the chat routes: one session per user (single login), pushes to users. {@link LocalPresence}
 * for one process (standalone), {@link DirectoryPresence} for cluster mode, where a user's session may be on any
 * gate.
 */
public interface Presence {

    /** Binds {@code session} to the user and makes it the user's one session; the one it replaces is kicked. */
    CompletableFuture<Void> login(long userId, Session session);

    /** Unbinds {@code session}, taking the user offline if it is still the user's session. */
    CompletableFuture<Void> logout(long userId, Session session);

    /**
     * Pushes to each of {@code userIds} that is online, except {@code except} (may be null). A push lost with a
     * dropped connection is not lost for the user: it syncs on its next login.
     */
    void push(Collection<Long> userIds, Long except, String route, Object body);

    CompletableFuture<Boolean> isOnline(long userId);

    /** Users logged in through this process and still connected. */
    int size();
}
