package io.switchboard.resource.internal;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The live topology page: static HTML, JS and CSS from the classpath, read once, served on the {@code /v1} port under
 * the same guard (GET only, Host/Origin checks). The page reads {@code /v1/topology} through the blocking watch; it has
 * no state of its own on the server. A strict Content-Security-Policy allows only this origin's own files, so no
 * inline script runs even if a value from a conf file were ever put into markup.
 */
final class UiPage {
    /** The page's own files, and nothing else: no inline script or style, no other origin, no framing. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String ROOT = "/io/switchboard/resource/ui/";
    private static final String INDEX = "index.html";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets = Map.of(
            "/", load(INDEX, "text/html; charset=utf-8"),
            "/ui/", load(INDEX, "text/html; charset=utf-8"),
            "/ui/topology.js", load("topology.js", "text/javascript; charset=utf-8"),
            "/ui/topology.css", load("topology.css", "text/css; charset=utf-8"));

    /** Whether {@code path} is the page's; the {@code /v1} API has the rest. */
    boolean owns(String path) {
        return path.equals("/") || path.startsWith("/ui/") || path.equals("/ui");
    }

    /** Answers a GET of one of the page's paths: the file, or a JSON 404. */
    void serve(ChannelHandlerContext ctx, boolean keepAlive, String path) {
        Asset asset = assets.get(path.equals("/ui") ? "/ui/" : path);
        if (asset == null) {
            ApiResponses.send(ctx, keepAlive, ApiAnswer.error(HttpResponseStatus.NOT_FOUND, "no such path: " + path),
                    -1);
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(asset.bytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType());
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, asset.bytes().length);
        // Small files: revalidate each time, so a new manager's page is never mixed with an old cached script.
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        response.headers().set(HttpHeaderNames.CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY);
        ApiResponses.nosniff(response);
        response.headers().set(HttpHeaderNames.X_FRAME_OPTIONS, "DENY");
        response.headers().set("Referrer-Policy", "no-referrer");
        ApiResponses.write(ctx, keepAlive, response);
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = UiPage.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the topology page's " + name + " is missing from the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
