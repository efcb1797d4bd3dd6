package io.switchboard.client;

import java.util.Objects;

/**
 * Why a connection ended.
 *
 * @param kind    what ended it
 * @param message for a kick, the server's {@code reason} text; otherwise a short description such as
 *                {@code "connection closed"} or {@code "heartbeat timeout"}
 */
public record CloseReason(Kind kind, String message) {

    public enum Kind {
        /** The server sent a kick package; {@link #message()} is its reason. */
        KICKED,
        /** Nothing was heard from the server for twice the heartbeat interval. */
        HEARTBEAT_TIMEOUT,
        /**
         * The connection was closed by the server or the network, or given up on because the server stopped reading
         * (see {@link SwitchboardClientBuilder#maxPendingWriteBytes(int)}).
         */
        CONNECTION_CLOSED,
        /** {@link SwitchboardClient#close()} was called. */
        CLOSED_BY_CLIENT,
        /** The server broke the protocol (or a codec failed); {@link #message()} says how. */
        PROTOCOL_ERROR
    }

    public static final CloseReason HEARTBEAT_TIMEOUT = new CloseReason(Kind.HEARTBEAT_TIMEOUT, "heartbeat timeout");
    public static final CloseReason CONNECTION_CLOSED = new CloseReason(Kind.CONNECTION_CLOSED, "connection closed");
    public static final CloseReason CLOSED_BY_CLIENT = new CloseReason(Kind.CLOSED_BY_CLIENT, "closed by client");

    public CloseReason {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
    }

    public static CloseReason kicked(String reason) {
        return new CloseReason(Kind.KICKED, reason);
    }

    public static CloseReason protocolError(String what) {
        return new CloseReason(Kind.PROTOCOL_ERROR, what);
    }

    @Override
    public String toString() {
        return kind == Kind.KICKED ? "kicked: " + message : message;
    }
}
