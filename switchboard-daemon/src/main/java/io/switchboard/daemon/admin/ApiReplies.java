package io.switchboard.daemon.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.switchboard.daemon.command.CommandResult;

/** The admin port's answers: JSON bodies, refusals as {@code {"error": ...}}, and the headers every answer carries. */
final class ApiReplies {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Only this origin's own files; no inline script or style, no framing, no form posts elsewhere. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private ApiReplies() {
    }

    static ObjectNode error(String message) {
        return JSON.createObjectNode().put("error", message);
    }

    /** A command's result as the API sends it: outcome, exit code, message and data. */
    static ObjectNode result(CommandResult result) {
        ObjectNode body = JSON.createObjectNode().put("outcome", result.outcome().name())
                .put("exitCode", result.outcome().exitCode()).put("message", result.message());
        if (!result.isOk()) {
            body.put("error", result.message());
        }
        body.set("data", result.data());
        return body;
    }

    static HttpResponseStatus status(CommandResult result) {
        return switch (result.outcome()) {
            case FORBIDDEN -> HttpResponseStatus.FORBIDDEN;
            case BAD_COMMAND -> HttpResponseStatus.BAD_REQUEST;
            default -> HttpResponseStatus.OK;
        };
    }

    static FullHttpResponse json(HttpResponseStatus status, JsonNode body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always writes", e);
        }
        return bytes(status, "application/json", bytes);
    }

    static FullHttpResponse bytes(HttpResponseStatus status, String contentType, byte[] body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        secure(response);
        return response;
    }

    /** What every answer carries: no caching, no sniffing, no framing, the strict CSP. */
    static void secure(HttpResponse response) {
        HttpHeaders headers = response.headers();
        headers.set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set("X-Content-Type-Options", "nosniff")
                .set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY")
                .set("Referrer-Policy", "no-referrer")
                .set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
    }

    /** Writes {@code response}, closing after it unless the request kept the connection alive. */
    static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** A refusal that ends the connection: sent, then closed. */
    static void refuseAndClose(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
        FullHttpResponse response = json(status, error(message));
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
}
