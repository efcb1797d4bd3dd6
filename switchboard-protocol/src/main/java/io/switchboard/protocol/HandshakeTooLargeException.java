package io.switchboard.protocol;

/** A handshake package announced a body longer than the handshake limit; refused before it is buffered or parsed. */
public final class HandshakeTooLargeException extends BodyTooLargeException {
    private static final long serialVersionUID = 1L;

    public HandshakeTooLargeException(int length, int limit) {
        super("handshake", length, limit);
    }
}
