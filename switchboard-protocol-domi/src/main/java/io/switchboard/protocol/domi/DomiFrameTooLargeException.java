package io.switchboard.protocol.domi;

/** A frame whose {@code length} is over the decoder's cap (the gate's body cap and a header). */
public final class DomiFrameTooLargeException extends DomiProtocolException {
    private static final long serialVersionUID = 1L;

    private final long length;
    private final int limit;

    public DomiFrameTooLargeException(long length, int limit) {
        super("frame of " + length + " bytes is over the limit of " + limit);
        this.length = length;
        this.limit = limit;
    }

    public long length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
