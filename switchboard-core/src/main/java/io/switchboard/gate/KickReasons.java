package io.switchboard.gate;

/** The reasons the gate itself gives when it closes a connection; sent in the kick package's JSON. */
public final class KickReasons {
    public static final String HEARTBEAT_TIMEOUT = "heartbeat timeout";
    public static final String HANDSHAKE_TIMEOUT = "handshake timeout";
    public static final String SLOW_READER = "slow reader: outbound buffer full";
    public static final String DATA_BEFORE_ACK = "data before handshake ack";
    public static final String DATA_BEFORE_HANDSHAKE = "data before handshake";
    public static final String DUPLICATE_HANDSHAKE = "duplicate handshake";
    public static final String UNEXPECTED_PACKAGE = "unexpected package from client";
    public static final String SERVER_SHUTDOWN = "server shutdown";
    public static final String LOGGED_IN_ELSEWHERE = "logged in elsewhere";
    public static final String TOO_MANY_PENDING = "too many requests in progress";
    public static final String INTERNAL_ERROR = "internal error";
    public static final String CONNECTION_LIMIT = "too many connections";
    public static final String RESUME_FAILED = "the resumed session has ended";
    public static final String IP_CONNECTION_LIMIT = "too many connections from this address";

    private KickReasons() {
    }
}
