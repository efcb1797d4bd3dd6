package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;

/**
 * Answers a WebSocket peer's pings, in place of Netty's protocol handlers, which write a pong for every ping: a peer
 * that pings and never reads would grow the outbound buffer without bound. Here a read's pings get one pong, for the
 * last of them (RFC 6455 §5.5.3 allows it), written at the read's end through the whole pipeline and only while the
 * channel is writable; otherwise it is dropped. Put it before Netty's handler; one per connection: it holds that read's
 * last ping. Gates and clients both; a subclass may look at the other frames on their way.
 */
public class WebSocketPings extends ChannelInboundHandlerAdapter {
    /** The payload of the read's last ping, until the read ends. */
    private ByteBuf ping;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof PingWebSocketFrame frame) {
            hold(frame);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    /** Keeps {@code frame}'s payload as the read's last ping, in place of the one before. */
    protected final void hold(PingWebSocketFrame frame) {
        release();
        ping = frame.content();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
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
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        release();
    }

    private void release() {
        if (ping != null) {
            ping.release();
            ping = null;
        }
    }
}
