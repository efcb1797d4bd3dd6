package io.switchboard.protocol;

import io.netty.buffer.ByteBuf;

/** Base-128 varints, least significant group first, as Pomelo writes message ids (129 ⇒ {@code 81 01}). */
public final class Varint {
    /** A 64-bit value needs at most ten 7-bit groups. */
    public static final int MAX_LENGTH = 10;
    private static final int CONTINUATION = 0x80;
    private static final int GROUP_MASK = 0x7F;
    private static final int GROUP_BITS = 7;

    private Varint() {
    }

    /** The number of bytes {@code value} takes. */
    public static int length(long value) {
        int length = 1;
        while ((value & ~(long) GROUP_MASK) != 0) {
            value >>>= GROUP_BITS;
            length++;
        }
        return length;
    }

    public static void write(ByteBuf out, long value) {
        while ((value & ~(long) GROUP_MASK) != 0) {
            out.writeByte((int) (value & GROUP_MASK) | CONTINUATION);
            value >>>= GROUP_BITS;
        }
        out.writeByte((int) value);
    }

    /** Reads a varint; a varint cut off by the end of the buffer, or longer than ten bytes, is refused. */
    public static long read(ByteBuf in) {
        long value = 0;
        for (int i = 0; i < MAX_LENGTH; i++) {
            if (!in.isReadable()) {
                throw new PomeloProtocolException("truncated message id");
            }
            int b = in.readUnsignedByte();
            value |= (long) (b & GROUP_MASK) << (GROUP_BITS * i);
            if ((b & CONTINUATION) == 0) {
                return value;
            }
        }
        throw new PomeloProtocolException("message id longer than " + MAX_LENGTH + " bytes");
    }
}
