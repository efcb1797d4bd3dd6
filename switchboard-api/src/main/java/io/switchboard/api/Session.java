package io.switchboard.api;

import java.net.SocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * One client, as handler code sees it wherever it runs (seed 002's {@code Agent}): on a standalone server or gate
 * the connection itself, on a service node the same client reached through its gate. An id unique in the cluster,
 * an optional bound user id, typed attributes, close listeners, and pushes. Thread-safe.
 */
public interface Session {

    /** Unique among the cluster's sessions, never reused while the process runs. */
    long id();

    /** The bound user id, or {@code null} before {@link #bind(String)} completes. */
    String userId();

    /**
     * Binds this session to {@code userId} through the server's {@link OnlineUsers} (single login, the login policy
     * applied to the user's other sessions, on every gate) or, on a server without users, on this session alone.
     * Completes once bound; fails with a {@link io.switchboard.common.error.SwitchboardException} of
     * {@link io.switchboard.api.errors.SessionErrors} ({@code BAD_USER_ID}, {@code ALREADY_LOGGED_IN},
     * {@code DIRECTORY_UNAVAILABLE}) and then leaves the session as it was. The same on a gate and on a node.
     */
    CompletableFuture<Void> bind(String userId);

    /** Clears the bound user id, here and in the directory; completes once done. */
    CompletableFuture<Void> unbind();

    /** Typed attributes for handlers and filters; lives as long as the session (on a node: while placed there). */
    TypedAttributes attributes();

    /** Where the client connects from; {@code null} where that is not known (on a service node). */
    SocketAddress remoteAddress();

    boolean isActive();

    /** Runs {@code listener} with the close reason once the session closes (at once if it already has). */
    void onClose(BiConsumer<Session, String> listener);

    /** Pushes a message with a body already serialized; completes when written (or fails when closed). */
    CompletableFuture<Void> push(String route, byte[] body);

    /** Pushes a message; the body object is serialized with the server's serializer. */
    CompletableFuture<Void> push(String route, Object body);

    /**
     * How pushes to many sessions like this one are delivered together; see {@link FanOut#pushAll}. Framework
     * sessions share one fan-out per gate or encoding; the default pushes to each session on its own.
     */
    default FanOut fanOut() {
        return FanOut.PER_SESSION;
    }

    /** Sends a kick with {@code reason} and closes. */
    void kick(String reason);

    /** Closes without a kick. */
    void close(String reason);
}
