package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/**
 * Wraps each outbound buffer (one encoded packet) in a KIM TCP binary frame, without copying it, and writes a
 * {@link KimOpCode} as an empty frame of that opcode (the pong to a ping, a close).
 */
@ChannelHandler.Sharable
public final class KimFrameEncoder extends MessageToMessageEncoder<Object> {
    public static final KimFrameEncoder INSTANCE = new KimFrameEncoder();

    private KimFrameEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ByteBuf || msg instanceof KimOpCode;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof KimOpCode op) {
            out.add(header(ctx, op, 0));
            return;
        }
        ByteBuf payload = (ByteBuf) msg;
        out.add(header(ctx, KimOpCode.BINARY, payload.readableBytes()));
        out.add(payload.retain());
    }

    private static ByteBuf header(ChannelHandlerContext ctx, KimOpCode op, int length) {
        ByteBuf header = ctx.alloc().buffer(KimLayout.FRAME_PAYLOAD_OFFSET);
        header.writeByte(op.code());
        header.writeIntLE(length);
        return header;
    }
}
