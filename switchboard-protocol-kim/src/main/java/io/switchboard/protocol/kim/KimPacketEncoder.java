package io.switchboard.protocol.kim;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

import java.util.List;

/** Writes {@link LogicPacket}s and {@link BasicPacket}s as their bytes, magic first, for the transport below. */
@ChannelHandler.Sharable
public final class KimPacketEncoder extends MessageToMessageEncoder<Object> {
    public static final KimPacketEncoder INSTANCE = new KimPacketEncoder();

    private KimPacketEncoder() {
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof LogicPacket || msg instanceof BasicPacket;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        out.add(KimPacketCodec.encode(ctx.alloc(), msg));
    }
}
