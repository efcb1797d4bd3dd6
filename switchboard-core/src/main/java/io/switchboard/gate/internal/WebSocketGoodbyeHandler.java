package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;

/**
 * Notes a client's WebSocket close frame before Netty's protocol handler answers it: the client meant to leave, so
 * its session ends at once instead of being parked for a resume.
 */
@ChannelHandler.Sharable
final class WebSocketGoodbyeHandler extends ChannelInboundHandlerAdapter {
    static final WebSocketGoodbyeHandler INSTANCE = new WebSocketGoodbyeHandler();

    private WebSocketGoodbyeHandler() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof CloseWebSocketFrame) {
            CloseReason.set(ctx.channel(), CloseReason.CLIENT_SAID_GOODBYE);
        }
        ctx.fireChannelRead(msg);
    }
}
