package io.switchboard.gate.internal;

import io.switchboard.gate.HttpFallback;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.charset.StandardCharsets;

/** The default {@link HttpFallback}: a one-line 404 that says how to connect, then close. */
public final class NotFoundHttpFallback implements HttpFallback {
    public static final NotFoundHttpFallback INSTANCE = new NotFoundHttpFallback();

    private NotFoundHttpFallback() {
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        request.release();
        byte[] body = "Switchboard gate: connect with a Pomelo client over TCP or WebSocket.\n"
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(request.protocolVersion(),
                HttpResponseStatus.NOT_FOUND, Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        CloseReason.set(ctx.channel(), "plain HTTP request");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
