package io.switchboard.protocol.domi;

import io.netty.buffer.ByteBuf;

/**
 * The named offsets of a DOMI frame, {@code [length u32][extendSize u16][frameType u16][data][extend]}, and
 * flyweight reads of a frame's header in place. {@code length} counts the whole frame, header included.
 */
public final class DomiFrameLayout {
    public static final int LENGTH_OFFSET = 0;
    public static final int LENGTH_FIELD_LENGTH = 4;
    public static final int EXTEND_SIZE_OFFSET = LENGTH_OFFSET + LENGTH_FIELD_LENGTH;
    public static final int FRAME_TYPE_OFFSET = EXTEND_SIZE_OFFSET + 2;
    public static final int HEADER_LENGTH = FRAME_TYPE_OFFSET + 2;
    /** The largest extend a u16 {@code extendSize} can describe. */
    public static final int MAX_EXTEND_SIZE = 0xFFFF;
    /** The largest frameType a u16 can hold. */
    public static final int MAX_FRAME_TYPE = 0xFFFF;
    /**
     * Frames shorter than this start with {@code 0x00} (big-endian length): the first byte that tells DOMI apart on
     * the client port. Every cap the gate puts on a frame must stay below it.
     */
    public static final int DETECTABLE_LENGTH_LIMIT = 1 << 24;

    private DomiFrameLayout() {
    }

    /** The {@code length} field of the frame that starts at {@code at}: the whole frame's size in bytes. */
    public static long length(ByteBuf buf, int at) {
        return buf.getUnsignedInt(at + LENGTH_OFFSET);
    }

    public static int extendSize(ByteBuf buf, int at) {
        return buf.getUnsignedShort(at + EXTEND_SIZE_OFFSET);
    }

    public static int frameType(ByteBuf buf, int at) {
        return buf.getUnsignedShort(at + FRAME_TYPE_OFFSET);
    }

    /** Whether {@code first}, the first byte a client sent, can begin a DOMI frame. */
    public static boolean startsFrame(int first) {
        return first == 0;
    }
}
