package io.switchboard.gate;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Answers plain HTTP requests that reach the client port without asking for a WebSocket upgrade (a web page served by
 * the gate, for example). Called on an I/O thread: it answers at once, without blocking. The gate sends the answer
 * with its length, leaves the body out for a {@code HEAD} request, and closes the connection after it, so nothing but
 * WebSocket connections stays open on the client port. An exception thrown here is answered with a 500.
 */
@FunctionalInterface
public interface HttpFallback {

    Answer handle(Request request);

    /**
     * A plain HTTP request, its body left out (a fallback serves pages, it takes no uploads).
     *
     * @param method  upper case, such as {@code GET}
     * @param uri     as sent: the path with its query
     * @param path    the URI's path, percent-decoded
     * @param headers the first value of each header, by its lower-case name
     */
    record Request(String method, String uri, String path, Map<String, String> headers) {
        public Request {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(path, "path");
            headers = Map.copyOf(headers);
        }

        /** The first value of the header, whatever the case of {@code name}; {@code null} when it was not sent. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * An answer: status, content type, body, and any further headers (the gate sets {@code Content-Type},
     * {@code Content-Length} and {@code Connection} itself).
     */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Answer {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("an HTTP status is 100..599: " + status);
            }
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(body, "body");
            headers = Map.copyOf(headers);
        }

        public static Answer of(int status, String contentType, byte[] body) {
            return new Answer(status, contentType, body, Map.of());
        }

        /** A {@code text/plain} answer in UTF-8. */
        public static Answer text(int status, String text) {
            return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }

        /** This answer with one more header. */
        public Answer withHeader(String name, String value) {
            Map<String, String> more = new LinkedHashMap<>(headers);
            more.put(name, value);
            return new Answer(status, contentType, body, more);
        }
    }
}
