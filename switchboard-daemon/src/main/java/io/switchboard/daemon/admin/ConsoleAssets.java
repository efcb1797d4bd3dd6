package io.switchboard.daemon.admin;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;

/** The web console's static files, read from this jar once; the page holds no state on the server. */
final class ConsoleAssets {
    private static final String ROOT = "/io/switchboard/daemon/admin/console/";

    private record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> assets;

    ConsoleAssets() {
        Asset index = load("index.html", "text/html; charset=utf-8");
        assets = Map.of("/", index, "/index.html", index,
                "/console.js", load("console.js", "text/javascript; charset=utf-8"),
                "/console.css", load("console.css", "text/css; charset=utf-8"));
    }

    Optional<FullHttpResponse> serve(String path) {
        Asset asset = assets.get(path);
        return asset == null ? Optional.empty()
                : Optional.of(ApiReplies.bytes(HttpResponseStatus.OK, asset.contentType(), asset.bytes()));
    }

    private static Asset load(String name, String contentType) {
        try (InputStream in = ConsoleAssets.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the classpath");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
