package io.switchboard.api;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Logged-in users as handlers see them, wherever the handlers run: {@link UserSessions} on a gate or standalone
 * server, and the view a cluster service node gives its handlers (its calls go to the session directory through
 * the gates). One login policy applies to every user; the failures are {@link io.switchboard.api.errors.SessionErrors}.
 */
public interface OnlineUsers {

    /**
     * Binds {@code session} to {@code uid} in the session directory and on the session, applying the login policy
     * to the user's other sessions on any gate (by default they are kicked with "logged in elsewhere"). Fails with
     * {@code BAD_USER_ID}, {@code ALREADY_LOGGED_IN} or {@code DIRECTORY_UNAVAILABLE}.
     */
    CompletableFuture<Void> login(Session session, String uid);

    /** Unbinds the session's user id, here and in the directory (only its own entry); false when it had none. */
    CompletableFuture<Boolean> logout(Session session);

    /** Where {@code uid} is online; empty when nowhere. */
    CompletableFuture<List<SessionLocation>> lookup(String uid);

    /**
     * Pushes to every session of {@code uid}, on any gate; {@code body} is serialized unless it is a {@code byte[]}.
     * Completes with how many sessions it went to; fails with {@code USER_OFFLINE} when there are none.
     */
    CompletableFuture<Integer> push(String uid, String route, Object body);

    /** Kicks every session of {@code uid}; completes with how many. */
    CompletableFuture<Integer> kick(String uid, String reason);
}
