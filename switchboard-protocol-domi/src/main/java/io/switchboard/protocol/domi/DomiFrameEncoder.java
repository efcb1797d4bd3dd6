package io.switchboard.protocol.domi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes {@link DomiFrame}s; {@link #encode(ByteBufAllocator, int, ByteBuf, byte[])} encodes one ahead of time. */
@ChannelHandler.Sharable
public final class DomiFrameEncoder extends MessageToByteEncoder<DomiFrame> {
    public static final DomiFrameEncoder INSTANCE = new DomiFrameEncoder();

    private DomiFrameEncoder() {
        super(DomiFrame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, DomiFrame frame, boolean preferDirect) {
        return preferDirect ? ctx.alloc().ioBuffer(frame.length()) : ctx.alloc().heapBuffer(frame.length());
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DomiFrame frame, ByteBuf out) {
        writeFrame(out, frame.frameType(), frame.data(), frame.extend());
    }

    /**
     * A whole frame in a new buffer, for bytes encoded once and written to many connections. {@code data} is read
     * without being consumed or released.
     */
    public static ByteBuf encode(ByteBufAllocator alloc, int frameType, ByteBuf data, byte[] extend) {
        ByteBuf out = alloc.buffer(DomiFrameLayout.HEADER_LENGTH + data.readableBytes() + extend.length);
        writeFrame(out, frameType, data, extend);
        return out;
    }

    private static void writeFrame(ByteBuf out, int frameType, ByteBuf data, byte[] extend) {
        out.writeInt(DomiFrameLayout.HEADER_LENGTH + data.readableBytes() + extend.length);
        out.writeShort(extend.length);
        out.writeShort(frameType);
        out.writeBytes(data, data.readerIndex(), data.readableBytes());
        out.writeBytes(extend);
    }
}
