package io.switchboard.protocol.domi;

/**
 * A frame whose {@code length} is over the decoder's cap: the gate's body cap and a header, or, before the client is
 * accepted, its handshake cap and a header.
 */
public final class DomiFrameTooLargeException extends DomiProtocolException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;
    private final boolean beforeAccepted;

    public DomiFrameTooLargeException(long length, int limit) {
        this(length, limit, false);
    }

    public DomiFrameTooLargeException(long length, int limit, boolean beforeAccepted) {
        super("frame of " + length + " bytes is over the limit of " + limit);
        this.length = length;
        this.limit = limit;
        this.beforeAccepted = beforeAccepted;
    }

    /** Whether it came before the client was accepted, under the handshake's cap. */
    public boolean beforeAccepted() {
        return beforeAccepted;
    }

    public long length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
