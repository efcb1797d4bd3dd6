package io.switchboard.protocol.kim;

/** A frame before the login over the login's cap: what a handshake over its cap is to Pomelo. */
public final class KimLoginTooLargeException extends KimTooLargeException {
    public KimLoginTooLargeException(long length, int max) {
        super("frame before the login", length, max);
    }
}
