package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * A WebSocket client's control frames, before Netty's protocol handler sees them. A close frame is noted: the client
 * meant to leave, so its session ends at once instead of being parked for a resume. A ping is answered here, not by
 * Netty, which writes a pong for every ping from its own place in the pipeline, before the slow-reader guard: a
 * client that stops reading could grow the outbound buffer without bound with pings alone. Here a read's pings get
 * one pong, for the last of them (RFC 6455 §5.5.3 allows it), written at the read's end through the whole pipeline
 * (so the {@link OutboundLimitHandler} sees it) and only while the channel is writable; otherwise it is dropped.
 * One per connection: it holds that read's last ping.
 */
final class WebSocketControlHandler extends ChannelInboundHandlerAdapter {
    /** The payload of the read's last ping, until the read ends. */
    private ByteBuf ping;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        // Binary frames, nearly all of them, cost one type check.
        if (!(msg instanceof BinaryWebSocketFrame)) {
            if (msg instanceof PingWebSocketFrame frame) {
                release();
                ping = frame.content();
                return;
            }
            if (msg instanceof CloseWebSocketFrame) {
                CloseReason.set(ctx.channel(), CloseReason.CLIENT_SAID_GOODBYE);
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ByteBuf payload = ping;
        if (payload != null) {
            ping = null;
            if (ctx.channel().isWritable()) {
                ctx.channel().writeAndFlush(new PongWebSocketFrame(payload));
            } else {
                payload.release();
            }
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        release();
    }

    private void release() {
        if (ping != null) {
            ping.release();
            ping = null;
        }
    }
}
