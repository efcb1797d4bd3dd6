package io.switchboard.protocol.domi;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * Cuts the byte stream into {@link DomiFrame}s. Each frame's header is checked before any of it is buffered: a
 * {@code length} shorter than the header, over the cap, or an {@code extendSize} larger than what follows the header
 * fails the connection with a {@link DomiProtocolException} (the cap with a {@link DomiFrameTooLargeException}), and
 * everything after it is discarded unread. Until {@link #lift()} (the client is accepted) the cap is a lower one, if
 * given: a peer nobody has accepted gets no more buffered than its hello needs. One per connection.
 */
public final class DomiFrameDecoder extends LengthFieldBasedFrameDecoder {
    private final int maxFrameLength;
    /** The cap of the next frame: {@code maxFirstFrameLength} until {@link #lift()}. */
    private int limit;
    private boolean failed;

    /** @param maxFrameLength the largest {@code length} accepted, header included; below 16 MiB */
    public DomiFrameDecoder(int maxFrameLength) {
        this(maxFrameLength, maxFrameLength);
    }

    /**
     * @param maxFrameLength      the largest {@code length} accepted, header included; below 16 MiB
     * @param maxFirstFrameLength a lower cap for the frames before {@link #lift()} (the gate's hello, until the client
     *                            is accepted)
     */
    public DomiFrameDecoder(int maxFrameLength, int maxFirstFrameLength) {
        // length counts the whole frame, so after reading it 4 bytes less are still to come.
        super(maxFrameLength, DomiFrameLayout.LENGTH_OFFSET, DomiFrameLayout.LENGTH_FIELD_LENGTH,
                -DomiFrameLayout.LENGTH_FIELD_LENGTH, 0, true);
        if (maxFrameLength < DomiFrameLayout.HEADER_LENGTH
                || maxFrameLength >= DomiFrameLayout.DETECTABLE_LENGTH_LIMIT) {
            throw new IllegalArgumentException("maxFrameLength must be " + DomiFrameLayout.HEADER_LENGTH + ".."
                    + (DomiFrameLayout.DETECTABLE_LENGTH_LIMIT - 1) + ": " + maxFrameLength);
        }
        if (maxFirstFrameLength < DomiFrameLayout.HEADER_LENGTH || maxFirstFrameLength > maxFrameLength) {
            throw new IllegalArgumentException("maxFirstFrameLength must be " + DomiFrameLayout.HEADER_LENGTH + ".."
                    + maxFrameLength + ": " + maxFirstFrameLength);
        }
        this.maxFrameLength = maxFrameLength;
        this.limit = maxFirstFrameLength;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (in.readableBytes() < DomiFrameLayout.HEADER_LENGTH) {
            return null;
        }
        checkHeader(in, in.readerIndex());
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        try {
            int at = frame.readerIndex();
            int frameType = DomiFrameLayout.frameType(frame, at);
            int extendSize = DomiFrameLayout.extendSize(frame, at);
            int dataLength = frame.readableBytes() - DomiFrameLayout.HEADER_LENGTH - extendSize;
            ByteBuf data = frame.retainedSlice(at + DomiFrameLayout.HEADER_LENGTH, dataLength);
            byte[] extend = new byte[extendSize];
            frame.getBytes(at + DomiFrameLayout.HEADER_LENGTH + dataLength, extend);
            return new DomiFrame(frameType, data, extend);
        } finally {
            frame.release();
        }
    }

    /** The client is accepted: frames up to the full cap from now on. On the connection's event loop. */
    public void lift() {
        limit = maxFrameLength;
    }

    /** Whether the cap is still the lower one of the frames before the client is accepted. */
    public boolean beforeLift() {
        return limit != maxFrameLength;
    }

    private void checkHeader(ByteBuf in, int at) {
        long length = DomiFrameLayout.length(in, at);
        int extendSize = DomiFrameLayout.extendSize(in, at);
        String reason = null;
        if (length < DomiFrameLayout.HEADER_LENGTH) {
            reason = "frame length " + length + " is shorter than the " + DomiFrameLayout.HEADER_LENGTH
                    + "-byte header";
        } else if (length > limit) {
            fail(in);
            throw new DomiFrameTooLargeException(length, limit, beforeLift());
        } else if (extendSize > length - DomiFrameLayout.HEADER_LENGTH) {
            reason = "extendSize " + extendSize + " is larger than the frame's "
                    + (length - DomiFrameLayout.HEADER_LENGTH) + " bytes after the header";
        }
        if (reason != null) {
            fail(in);
            throw new DomiProtocolException(reason);
        }
    }

    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
