package io.switchboard.client.internal;

import io.switchboard.client.CloseReason;

/** What one connection tells its client, on the connection's event loop. */
@FunctionalInterface
public interface ConnectionEvents {

    /**
     * The handshake was answered and the ack written; called before anything more is read from the connection, so
     * the pushes a resume replays come after it.
     *
     * @param askedToResume whether the handshake carried a resume token
     */
    default void established(ServerHandshake answer, boolean askedToResume) {
    }

    /** An established connection ended; called just before the requests still pending fail. */
    void ended(CloseReason reason);
}
