package io.switchboard.cluster;

/** Why a cluster link closed; counted by {@link ClusterMetrics}. */
public enum LinkCloseReason {
    /** The peer sent nothing, not even a pong, for longer than {@link LinkSettings#deadAfter()}. */
    PEER_SILENT,
    /** A frame was refused (bad head, length or CRC, or not an Envelope). */
    BAD_FRAME,
    /** A sound frame broke the link protocol: a second HELLO, an unexpected kind. */
    PROTOCOL_VIOLATION,
    /**
     * The peer did not prove it holds the cluster secret: no, a wrong or a replayed proof, a secret on one side
     * only, anything but HELLO and AUTH before it authenticated, or a peer off loopback on a link without a secret.
     */
    AUTH_FAILED,
    /** The link did not authenticate within {@link LinkSettings#authTimeout()} of connecting. */
    AUTH_TIMEOUT,
    /** The peer authenticated, but the registry lists no such node (node id and type) where it claims to be. */
    PEER_UNKNOWN,
    /** The peer's node id already has a live link: the newcomer is refused, the live link kept. */
    DUPLICATE_LINK,
    /** The TLS handshake failed: no or an untrusted certificate, or not TLS at all. */
    TLS_FAILED,
    /** The connection failed (reset, I/O error). */
    IO_ERROR,
    /** The peer closed the connection. */
    PEER_CLOSED,
    /** This side closed it: shutdown, or a newer link from the same peer replaced a dead one. */
    LOCAL_CLOSE
}
