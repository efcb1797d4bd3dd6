package io.switchboard.gate;

import java.util.Locale;

/**
 * Why the gate ended a connection, as a fixed set: the {@code reason} tag of {@code switchboard_gate_kicks_total}.
 * The reason text a client is told (and the log) may carry details; a metric tag never does, or any client could
 * make a new series with every length it announces.
 */
public enum KickCode {
    /** A package or message that breaks the Pomelo protocol. */
    BAD_PACKAGE,
    /** A WebSocket frame too long or malformed. */
    BAD_FRAME,
    /** A package body over the body limit (or a compressed body that inflates past it). */
    BODY_TOO_LARGE,
    /** A handshake package over the handshake limit. */
    HANDSHAKE_TOO_LARGE,
    /** A compressed body from a client that did not negotiate compression. */
    COMPRESSION_NOT_NEGOTIATED,
    /** No completed handshake within the handshake timeout of connecting. */
    HANDSHAKE_TIMEOUT,
    /** The acceptor (or the handshake's JSON) refused the client. */
    HANDSHAKE_REFUSED,
    /** Silent for twice the heartbeat interval. */
    HEARTBEAT_TIMEOUT,
    /** Too many bytes waiting for a client that does not read. */
    SLOW_READER,
    /** The gate already holds its maximum number of connections. */
    CONNECTION_LIMIT,
    /** The client's address already holds its maximum number of connections. */
    IP_CONNECTION_LIMIT,
    /** The same user logged in on another connection. */
    LOGGED_IN_ELSEWHERE,
    /** The gate is shutting down. */
    SERVER_SHUTDOWN,
    /** An application (or a service node) kicked the session, with a reason of its own. */
    KICKED_BY_APP,
    /** The session a handshake resumed ended between the handshake answer and its ack. */
    RESUME_FAILED,
    /** A bug on the gate's side. */
    INTERNAL_ERROR;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The tag value: the name in lower case, such as {@code body_too_large}. */
    public String tag() {
        return tag;
    }

    /** The code of a kick asked for with a free-text reason (by an application or a service node). */
    public static KickCode ofReason(String reason) {
        if (KickReasons.LOGGED_IN_ELSEWHERE.equals(reason)) {
            return LOGGED_IN_ELSEWHERE;
        }
        if (KickReasons.SERVER_SHUTDOWN.equals(reason)) {
            return SERVER_SHUTDOWN;
        }
        return KICKED_BY_APP;
    }
}
