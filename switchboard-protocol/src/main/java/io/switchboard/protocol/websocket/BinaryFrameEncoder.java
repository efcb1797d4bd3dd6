package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;

import java.util.List;

/**
 * Wraps each encoded package in its own binary WebSocket frame, as Pomelo's WebSocket clients expect; frames a writer
 * encoded itself ({@link EncodedBinaryFrames}) go on as their bytes.
 */
@ChannelHandler.Sharable
public final class BinaryFrameEncoder extends MessageToMessageEncoder<Object> {
    public static final BinaryFrameEncoder INSTANCE = new BinaryFrameEncoder();

    private BinaryFrameEncoder() {
        super(Object.class);
    }

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof ByteBuf || msg instanceof EncodedBinaryFrames;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, List<Object> out) {
        if (msg instanceof EncodedBinaryFrames frames) {
            out.add(frames.content().retain());
        } else {
            out.add(new BinaryWebSocketFrame(((ByteBuf) msg).retain()));
        }
    }
}
