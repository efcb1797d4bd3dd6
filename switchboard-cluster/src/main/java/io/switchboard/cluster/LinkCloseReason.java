package io.switchboard.cluster;

/** Why a cluster link closed; counted by {@link ClusterMetrics}. */
public enum LinkCloseReason {
    /** The peer sent nothing, not even a pong, for longer than {@link LinkSettings#deadAfter()}. */
    PEER_SILENT,
    /** A frame was refused (bad head, length or CRC, or not an Envelope). */
    BAD_FRAME,
    /** A sound frame broke the link protocol: data before HELLO, a second HELLO, an unexpected kind. */
    PROTOCOL_VIOLATION,
    /** The connection failed (reset, I/O error). */
    IO_ERROR,
    /** The peer closed the connection. */
    PEER_CLOSED,
    /** This side closed it: shutdown, or a newer link from the same peer replaced it. */
    LOCAL_CLOSE
}
