package io.switchboard.protocol;

/**
 * A package announced a body longer than the connection's limit (refused before any byte is buffered), or compressed
 * bodies inflated past it.
 */
public class BodyTooLargeException extends PomeloProtocolException {
    private static final long serialVersionUID = 1L;

    private final int length;
    private final int limit;

    public BodyTooLargeException(int length, int limit) {
        this("body", length, limit);
    }

    /** @param what what was too large, first words of the reason */
    public BodyTooLargeException(String what, int length, int limit) {
        super(what + " too large: " + length + " bytes, limit " + limit);
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
