package io.switchboard.chat.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.switchboard.gate.HttpFallback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the chat web page from the classpath on the gate's client port: plain HTTP GETs that are not
 * WebSocket upgrades. The page then opens a WebSocket to the same port. Every response closes its
 * connection, so nothing but the WebSocket stays open.
 */
public final class WebPage implements HttpFallback {
    private static final String ROOT = "io/switchboard/chat/web/";
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html",
            "/index.html", "index.html",
            "/pomelo-client.js", "pomelo-client.js",
            "/chat.js", "chat.js",
            "/chat.css", "chat.css");

    private final Map<String, byte[]> contents;

    public WebPage() {
        contents = Map.of(
                "index.html", load("index.html"),
                "pomelo-client.js", load("pomelo-client.js"),
                "chat.js", load("chat.js"),
                "chat.css", load("chat.css"));
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        HttpVersion version = request.protocolVersion();
        HttpMethod method = request.method();
        String path = new QueryStringDecoder(request.uri()).path();
        request.release();
        if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.HEAD)) {
            send(ctx, version, HttpResponseStatus.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                    "only GET\n".getBytes(StandardCharsets.UTF_8), false);
            return;
        }
        String file = FILES.get(path);
        if (file == null) {
            send(ctx, version, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                    ("not found: " + Accounts.clip(path) + "\n").getBytes(StandardCharsets.UTF_8),
                    method.equals(HttpMethod.HEAD));
            return;
        }
        send(ctx, version, HttpResponseStatus.OK, contentType(file), contents.get(file),
                method.equals(HttpMethod.HEAD));
    }

    private static void send(ChannelHandlerContext ctx, HttpVersion version, HttpResponseStatus status,
                             String type, byte[] body, boolean headOnly) {
        FullHttpResponse response = new DefaultFullHttpResponse(version, status,
                headOnly ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, type)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .set(HttpHeaderNames.CACHE_CONTROL, "no-cache")
                .set("X-Content-Type-Options", "nosniff")
                .set("Content-Security-Policy",
                        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:");
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    private static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        }
        if (file.endsWith(".js")) {
            return "text/javascript; charset=utf-8";
        }
        return "text/css; charset=utf-8";
    }

    private static byte[] load(String name) {
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + ROOT + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
