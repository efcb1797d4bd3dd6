package io.switchboard.chat.internal;

import io.switchboard.gate.HttpFallback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the chat web page from the classpath on the gate's client port: plain HTTP GETs that are not
 * WebSocket upgrades. The page then opens a WebSocket to the same port. The gate closes the connection after each
 * answer, so nothing but the WebSocket stays open.
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
    public Answer handle(Request request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return Answer.text(405, "only GET\n");
        }
        String file = FILES.get(request.path());
        if (file == null) {
            return Answer.text(404, "not found: " + Accounts.clip(request.path()) + "\n");
        }
        return Answer.of(200, contentType(file), contents.get(file))
                .withHeader("Cache-Control", "no-cache")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Content-Security-Policy",
                        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:");
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
