package io.switchboard.resource.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Writes {@code /v1} answers: JSON, with the view's index in {@value #INDEX_HEADER} as Consul does. */
final class ApiResponses {
    /** The index of the answered view; a client passes it back as {@code ?index=} to wait for the next change. */
    static final String INDEX_HEADER = "X-Switchboard-Index";

    private static final String X_CONTENT_TYPE_OPTIONS = "X-Content-Type-Options";

    private ApiResponses() {
    }

    /** Browsers take the {@code Content-Type} as given, never sniffing JSON or a script into something else. */
    static void nosniff(FullHttpResponse response) {
        response.headers().set(X_CONTENT_TYPE_OPTIONS, "nosniff");
    }

    static void send(ChannelHandlerContext ctx, boolean keepAlive, ApiQuery query) {
        send(ctx, keepAlive, query.answer(), query.index());
    }

    /** Sends {@code answer}; {@code index} below 0 sends no index header (a refusal before any view). */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, ApiAnswer answer, long index) {
        write(ctx, keepAlive, response(answer, index));
    }

    /** {@code answer} as a response; {@code index} below 0 sends no index header. */
    static FullHttpResponse response(ApiAnswer answer, long index) {
        byte[] body;
        try {
            body = ApiViews.JSON.writeValueAsBytes(answer.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        // A watch's answer must not be cached on the way: the same URL answers differently after a change.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        nosniff(response);
        if (index >= 0) {
            response.headers().set(INDEX_HEADER, Long.toString(index));
        }
        return response;
    }

    /** Writes {@code response}, closing the connection after it unless the request kept it alive. */
    static void write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
