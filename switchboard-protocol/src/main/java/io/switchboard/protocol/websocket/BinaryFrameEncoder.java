package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

import java.util.List;

/** Wraps each encoded package in its own binary WebSocket frame, as Pomelo's WebSocket clients expect. */
@ChannelHandler.Sharable
public final class BinaryFrameEncoder extends MessageToMessageEncoder<ByteBuf> {
    public static final BinaryFrameEncoder INSTANCE = new BinaryFrameEncoder();

    private BinaryFrameEncoder() {
        super(ByteBuf.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(new BinaryWebSocketFrame(msg.retain()));
    }
}
