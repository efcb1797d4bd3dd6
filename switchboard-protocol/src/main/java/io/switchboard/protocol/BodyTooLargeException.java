package io.switchboard.protocol;

/** A package announced a body longer than the connection's limit; it is refused before any byte is buffered. */
public final class BodyTooLargeException extends PomeloProtocolException {
    private static final long serialVersionUID = 1L;

    private final int length;
    private final int limit;

    public BodyTooLargeException(int length, int limit) {
        super("body too large: " + length + " bytes, limit " + limit);
        this.length = length;
        this.limit = limit;
    }

    public int length() {
        return length;
    }

    public int limit() {
        return limit;
    }
}
