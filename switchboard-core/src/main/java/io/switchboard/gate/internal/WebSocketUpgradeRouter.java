package io.switchboard.gate.internal;

import io.switchboard.gate.HttpFallback;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.websocketx.WebSocketFrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;

import java.util.function.Supplier;

/**
 * Lets WebSocket upgrade requests through to the WebSocket handshake and sends every other HTTP request to
 * the {@link HttpFallback} (so the client port can also serve plain HTTP, such as a web page). A second one after
 * the WebSocket handler lets nothing through: it answers the upgrade requests the handshake passed over (another
 * path), which would otherwise go unanswered; once the upgrade is done it puts the gate's frame decoder in place of
 * the one Netty's handshake installed.
 */
final class WebSocketUpgradeRouter extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final HttpFallback fallback;
    private final boolean upgradesPass;
    private final Supplier<? extends WebSocketFrameDecoder> frameDecoder;

    /**
     * @param upgradesPass whether upgrade requests go on to the WebSocket handshake (or, as the rest, to the fallback)
     * @param frameDecoder makes the frame decoder that replaces Netty's after the upgrade; {@code null} on the router
     *                     before the WebSocket handler, which never sees the upgrade's end
     */
    WebSocketUpgradeRouter(HttpFallback fallback, boolean upgradesPass,
                           Supplier<? extends WebSocketFrameDecoder> frameDecoder) {
        super(FullHttpRequest.class, false);
        this.fallback = fallback;
        this.upgradesPass = upgradesPass;
        this.frameDecoder = frameDecoder;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        // After the upgrade no HTTP request can come: both routers leave (each costs a context per connection). The
        // event passes only the one after the WebSocket handler, so that one removes the other too. Netty's frame
        // decoder has read nothing yet: a client sends no frame before the answer to its upgrade, which has gone out,
        // and bytes sent behind the request anyway are handed on past the decoder by the HTTP codec as it leaves.
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            ChannelPipeline p = ctx.pipeline();
            for (WebSocketUpgradeRouter router; (router = p.get(WebSocketUpgradeRouter.class)) != null; ) {
                p.remove(router);
            }
            ChannelHandlerContext netty = p.context(WebSocketFrameDecoder.class);
            if (netty != null && frameDecoder != null) {
                p.replace(netty.name(), netty.name(), frameDecoder.get());
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (upgradesPass
                && request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            ctx.fireChannelRead(request);
        } else {
            PlainHttpAnswers.answer(ctx, request, fallback);
        }
    }
}
