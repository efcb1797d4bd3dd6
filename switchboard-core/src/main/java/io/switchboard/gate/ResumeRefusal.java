package io.switchboard.gate;

import java.util.Locale;

/**
 * Why a handshake that asked to resume a session got {@code resumed: false} and a fresh session instead: told to the
 * {@link StateListener}, and the {@code outcome} tag of {@code switchboard_gate_resumes_total} (a fixed set, whatever
 * clients send).
 */
public enum ResumeRefusal {
    /** Resume is off on this gate. */
    RESUME_DISABLED,
    /** No such session here: never was, or its grace period is over. */
    UNKNOWN_SESSION,
    /** The token is another gate's: that gate is asked to release the session it holds. */
    OTHER_GATE,
    /** The token is malformed or not the session's: forged. */
    INVALID_TOKEN,
    /** The token was the session's, but a resume has used it since. */
    TOKEN_ALREADY_USED,
    /** The client says it got more pushes than were sent, or no count at all. */
    BAD_RECEIVED_COUNT,
    /** Pushes the client missed are no longer buffered (the buffer overflowed). */
    GAP_NOT_BUFFERED,
    /**
     * The new handshake does not fit the session: another user, another body compression, or another transport (a
     * WebSocket session's answers and pushes are framed for WebSocket before they are written).
     */
    HANDSHAKE_MISMATCH;

    private final String tag = name().toLowerCase(Locale.ROOT);

    /** The metric tag: the name in lower case. */
    public String tag() {
        return tag;
    }
}
