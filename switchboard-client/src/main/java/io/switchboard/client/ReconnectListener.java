package io.switchboard.client;

/**
 * Told how a client with {@link SwitchboardClientBuilder#reconnect(ReconnectPolicy) reconnect} on gets through
 * a drop. Called on the connection's event loop; do not block in it.
 */
public interface ReconnectListener {

    /**
     * The connection dropped (not a kick, not {@link SwitchboardClient#close()}); the client is dialing again. The
     * requests that were waiting for answers fail with {@link ConnectionClosedException} right after this call:
     * they may or may not have reached the server.
     */
    default void onDisconnect(CloseReason reason) {
    }

    /**
     * The client is connected again.
     *
     * @param recovered true when the server resumed the session (same session, same bound user and rooms, and the
     *                  pushes sent meanwhile delivered to the push listeners in order, once); false when a fresh
     *                  session started and the app must set up again (log in, rejoin, pull what it missed)
     * @param reason    {@code "session resumed"}, or why a fresh session started
     */
    void onReconnect(boolean recovered, String reason);
}
