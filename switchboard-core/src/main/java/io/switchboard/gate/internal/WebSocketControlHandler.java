package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.switchboard.protocol.websocket.WebSocketPings;

/**
 * A WebSocket client's control frames, before Netty's protocol handler sees them. A close frame is noted: the client
 * meant to leave, so its session ends at once instead of being parked for a resume. Pings are answered as
 * {@link WebSocketPings} does, one pong a read, through the whole pipeline (so the {@link OutboundLimitHandler} sees
 * it) and never onto a full buffer. One per connection.
 */
final class WebSocketControlHandler extends WebSocketPings {

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Binary frames, nearly all of them, cost one type check.
        if (!(msg instanceof BinaryWebSocketFrame)) {
            if (msg instanceof PingWebSocketFrame frame) {
                hold(frame);
                return;
            }
            if (msg instanceof CloseWebSocketFrame) {
                CloseReason.set(ctx.channel(), CloseReason.CLIENT_SAID_GOODBYE);
            }
        }
        ctx.fireChannelRead(msg);
    }
}
