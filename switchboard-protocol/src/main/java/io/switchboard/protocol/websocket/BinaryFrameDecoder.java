package io.switchboard.protocol.websocket;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.switchboard.protocol.PomeloProtocolException;

import java.util.List;

/**
 * Unwraps binary WebSocket frames into the byte stream the package decoder reads. A text frame is not
 * the Pomelo protocol and closes the connection. Control frames are handled before this handler.
 */
@ChannelHandler.Sharable
public final class BinaryFrameDecoder extends MessageToMessageDecoder<WebSocketFrame> {
    public static final BinaryFrameDecoder INSTANCE = new BinaryFrameDecoder();

    private BinaryFrameDecoder() {
        super(WebSocketFrame.class);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) {
        if (frame instanceof BinaryWebSocketFrame) {
            out.add(frame.content().retain());
        } else if (frame instanceof TextWebSocketFrame) {
            throw new PomeloProtocolException("text WebSocket frames are not supported; send binary frames");
        }
    }
}
