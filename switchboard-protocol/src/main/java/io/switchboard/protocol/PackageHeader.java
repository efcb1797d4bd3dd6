package io.switchboard.protocol;

/**
 * Layout of a package header: {@code [type:1][length:3, big-endian body length]}, then the body.
 * Named offsets so no codec carries magic numbers.
 */
public final class PackageHeader {
    public static final int TYPE_OFFSET = 0;
    public static final int LENGTH_OFFSET = 1;
    public static final int LENGTH_FIELD_LENGTH = 3;
    public static final int HEADER_LENGTH = TYPE_OFFSET + 1 + LENGTH_FIELD_LENGTH;
    /** The largest body a 3-byte length can describe: 2^24 − 1. */
    public static final int MAX_BODY_LENGTH = (1 << 24) - 1;

    private PackageHeader() {
    }
}
