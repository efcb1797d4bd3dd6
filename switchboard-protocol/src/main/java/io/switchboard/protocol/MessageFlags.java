package io.switchboard.protocol;

/**
 * The flag byte that starts every message: {@code [reserved:2][error:1][gzip:1][type:3][route compressed:1]}.
 * Named masks so the codec reads like the spec (DESIGN §3).
 */
public final class MessageFlags {
    /** Bit 0: the route is a 2-byte code from the dictionary instead of a string. */
    public static final int ROUTE_COMPRESSED = 0x01;
    /** Bits 1–3 hold the message type, shifted left by one. */
    public static final int TYPE_SHIFT = 1;
    public static final int TYPE_MASK = 0x07;
    /** Bit 4: the body is zlib-compressed. */
    public static final int BODY_COMPRESSED = 0x10;
    /** Bit 5: a response that carries an error (Pitaya). */
    public static final int ERROR = 0x20;

    /** Length of the flag byte that starts every message. */
    public static final int FLAG_LENGTH = 1;
    /** Length of the route-length field of an uncompressed route. */
    public static final int ROUTE_LENGTH_FIELD_LENGTH = 1;
    /** The longest route string the 1-byte length can describe. */
    public static final int MAX_ROUTE_LENGTH = 0xFF;
    /** Length of a compressed route code. */
    public static final int ROUTE_CODE_LENGTH = 2;
    /** The largest route code the 2-byte field can describe. */
    public static final int MAX_ROUTE_CODE = 0xFFFF;

    private MessageFlags() {
    }

    public static int typeBits(MessageType type) {
        return type.code() << TYPE_SHIFT;
    }

    public static int typeCode(int flag) {
        return (flag >> TYPE_SHIFT) & TYPE_MASK;
    }

    public static boolean bodyCompressed(int flag) {
        return (flag & BODY_COMPRESSED) != 0;
    }
}
