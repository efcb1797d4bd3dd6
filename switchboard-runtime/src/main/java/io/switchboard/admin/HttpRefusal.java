package io.switchboard.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * How an HTTP port answers a request it will not serve, then closes the connection: a status and a message, in that
 * port's shape of error ({@link #json()} unless the port adds headers of its own to every answer).
 */
@FunctionalInterface
public interface HttpRefusal {

    /** Sends {@code status} with {@code message} and closes the connection once it is written. */
    void closeWith(ChannelHandlerContext ctx, HttpResponseStatus status, String message);

    /** {@code {"error": message}} as JSON, neither cached nor sniffed, with {@code Connection: close}. */
    static HttpRefusal json() {
        return (ctx, status, message) -> ctx.writeAndFlush(jsonResponse(status, message))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The answer {@link #json()} sends, for a port that adds a header of its own before sending it. */
    static FullHttpResponse jsonResponse(HttpResponseStatus status, String message) {
        byte[] body = JsonNodeFactory.instance.objectNode().put("error", message).toString()
                .getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
