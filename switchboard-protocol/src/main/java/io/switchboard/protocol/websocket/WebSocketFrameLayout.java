package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;

/**
 * The named offsets of a WebSocket frame's header (RFC 6455 §5.2) and flyweight reads of one in place:
 * {@code [FIN, RSV, opcode][MASK, 7-bit length][16- or 64-bit length][masking key]}.
 */
public final class WebSocketFrameLayout {
    public static final int FIRST_BYTE_OFFSET = 0;
    /** The first byte's flag of a message's last (or only) frame. */
    public static final int FIN_FLAG = 0x80;
    /** The first byte's 4 opcode bits. */
    public static final int OPCODE_BITS = 0x0F;
    /** The opcode of a frame that goes on a fragmented message. */
    public static final int CONTINUATION_OPCODE = 0x0;
    /** The byte of the mask flag and the 7-bit length. */
    public static final int LENGTH_OFFSET = FIRST_BYTE_OFFSET + 1;
    /** Where a 16- or 64-bit length starts, when the 7-bit one says so; the two bytes before it every frame has. */
    public static final int EXTENDED_LENGTH_OFFSET = LENGTH_OFFSET + 1;
    public static final int MASK_FLAG = 0x80;
    /** The second byte's 7 length bits. */
    public static final int LENGTH_BITS = 0x7F;
    /** The largest payload whose length fits in the 7 bits of the second byte. */
    public static final int MAX_SHORT_LENGTH = 125;
    /** The 7-bit length that says a 16-bit length follows. */
    public static final int LENGTH_16 = 126;
    /** The 7-bit length that says a 64-bit length follows. */
    public static final int LENGTH_64 = 127;
    public static final int MASKING_KEY_LENGTH = 4;
    /** What {@link #payloadLength} returns while the bytes that tell the length have not all arrived. */
    public static final long UNKNOWN = -1;

    private WebSocketFrameLayout() {
    }

    /** How many length bytes follow the second byte, from its 7-bit length. */
    public static int extendedLengthBytes(int length7) {
        return length7 == LENGTH_16 ? Short.BYTES : length7 == LENGTH_64 ? Long.BYTES : 0;
    }

    /**
     * Whether the frame at {@code at} is part of a fragmented message (FIN clear, or a continuation), which only the
     * aggregator behind the decoder would put together; needs the frame's first byte.
     */
    public static boolean isFragment(ByteBuf buf, int at) {
        int first = buf.getUnsignedByte(at + FIRST_BYTE_OFFSET);
        return (first & FIN_FLAG) == 0 || (first & OPCODE_BITS) == CONTINUATION_OPCODE;
    }

    /**
     * The payload length of the frame at {@code at}, or {@link #UNKNOWN} while its length bytes are not all readable.
     * A 64-bit length with its top bit set (which RFC 6455 forbids) reads as {@link Long#MAX_VALUE}: over any cap.
     */
    public static long payloadLength(ByteBuf buf, int at) {
        int readable = buf.writerIndex() - at;
        if (readable < EXTENDED_LENGTH_OFFSET) {
            return UNKNOWN;
        }
        int length7 = buf.getUnsignedByte(at + LENGTH_OFFSET) & LENGTH_BITS;
        if (readable < EXTENDED_LENGTH_OFFSET + extendedLengthBytes(length7)) {
            return UNKNOWN;
        }
        if (length7 == LENGTH_16) {
            return buf.getUnsignedShort(at + EXTENDED_LENGTH_OFFSET);
        }
        if (length7 == LENGTH_64) {
            long length = buf.getLong(at + EXTENDED_LENGTH_OFFSET);
            return length < 0 ? Long.MAX_VALUE : length;
        }
        return length7;
    }

    /** The header's length of the frame at {@code at}, masking key included; its first two bytes must be readable. */
    public static int headerLength(ByteBuf buf, int at) {
        int second = buf.getUnsignedByte(at + LENGTH_OFFSET);
        return EXTENDED_LENGTH_OFFSET + extendedLengthBytes(second & LENGTH_BITS)
                + ((second & MASK_FLAG) != 0 ? MASKING_KEY_LENGTH : 0);
    }
}
