package io.switchboard.protocol.domi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

import java.util.Objects;

/**
 * One DOMI frame: its event ({@code frameType}), its {@code data} (the content, reference-counted) and its
 * {@code extend} (a few bytes at most in Switchboard's use, so a plain array).
 */
public final class DomiFrame extends DefaultByteBufHolder {
    private static final byte[] NO_EXTEND = new byte[0];

    private final int frameType;
    private final byte[] extend;

    public DomiFrame(int frameType, ByteBuf data, byte[] extend) {
        super(Objects.requireNonNull(data, "data"));
        if (frameType < 0 || frameType > DomiFrameLayout.MAX_FRAME_TYPE) {
            throw new IllegalArgumentException("frameType must be 0.." + DomiFrameLayout.MAX_FRAME_TYPE + ": "
                    + frameType);
        }
        Objects.requireNonNull(extend, "extend");
        if (extend.length > DomiFrameLayout.MAX_EXTEND_SIZE) {
            throw new IllegalArgumentException("extend over " + DomiFrameLayout.MAX_EXTEND_SIZE + " bytes");
        }
        this.frameType = frameType;
        this.extend = extend.length == 0 ? NO_EXTEND : extend;
    }

    /** A frame with an empty extend, as everything the gate sends but replies and named pushes. */
    public DomiFrame(int frameType, ByteBuf data) {
        this(frameType, data, NO_EXTEND);
    }

    /** A frame with no data and no extend (hello, heartbeat). */
    public static DomiFrame empty(int frameType) {
        return new DomiFrame(frameType, Unpooled.EMPTY_BUFFER, NO_EXTEND);
    }

    public int frameType() {
        return frameType;
    }

    /** The extend bytes; do not modify. */
    public byte[] extend() {
        return extend;
    }

    /** The {@code data} part. */
    public ByteBuf data() {
        return content();
    }

    /** The size of this frame on the wire, which is also its {@code length} field. */
    public int length() {
        return DomiFrameLayout.HEADER_LENGTH + content().readableBytes() + extend.length;
    }

    @Override
    public DomiFrame replace(ByteBuf content) {
        return new DomiFrame(frameType, content, extend);
    }

    @Override
    public DomiFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public String toString() {
        return "DomiFrame(" + frameType + ", " + content().readableBytes() + "B data, " + extend.length
                + "B extend)";
    }
}
