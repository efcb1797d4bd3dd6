package io.switchboard.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * The client's handshake: {@code {"sys":{...},"user":{...}}}. Pomelo clients send {@code sys.type} and
 * {@code sys.version}; Pitaya clients send {@code platform}, {@code libVersion}, {@code clientBuildNumber}
 * and {@code clientVersion}: both are accepted. A client that wants zlib bodies sends
 * {@code "compress":true} (or {@code "zlib"}) in {@code sys}; one that already holds the route dictionary
 * sends its {@code dictVersion}.
 */
public record HandshakeRequest(JsonNode sys, JsonNode user) {
    /** {@code user.resume}: the resume token of the session the client wants back (DESIGN §11). */
    public static final String RESUME = "resume";
    /** {@code user.received}: how many pushes the client got on that session. */
    public static final String RECEIVED = "received";
    /** What {@link #resumeReceived()} answers when the count is missing or not a whole number from 0 up. */
    public static final long NO_COUNT = -1;

    /** Parses a handshake body; anything but a JSON object with a {@code sys} object is refused. */
    public static HandshakeRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw new PomeloProtocolException("bad handshake: not JSON");
        } catch (java.io.IOException e) {
            throw new PomeloProtocolException("bad handshake: unreadable");
        }
        if (root == null || !root.isObject()) {
            throw new PomeloProtocolException("bad handshake: not a JSON object");
        }
        JsonNode sys = root.get("sys");
        if (sys == null || !sys.isObject()) {
            throw new PomeloProtocolException("bad handshake: no sys object");
        }
        JsonNode user = root.get("user");
        return new HandshakeRequest(sys, user == null ? NullNode.instance : user);
    }

    public static HandshakeRequest parse(String json) {
        return parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Compact JSON of {@code sys} and {@code user} alone: what a server keeps of a handshake, to parse again. */
    public byte[] toJson() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.set("sys", sys);
        root.set("user", user);
        try {
            return Json.MAPPER.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed tree always writes", e);
        }
    }

    /** Pomelo's {@code sys.type}, or Pitaya's {@code sys.platform}. */
    public String clientType() {
        return firstText("type", "platform");
    }

    /** Pomelo's {@code sys.version}, or Pitaya's {@code sys.libVersion}. */
    public String clientVersion() {
        return firstText("version", "libVersion");
    }

    /** The dictionary version the client already holds, or {@code null}. */
    public String dictVersion() {
        return text("dictVersion");
    }

    /** Whether the client asked for zlib-compressed bodies. */
    public boolean wantsCompression() {
        JsonNode node = sys.get("compress");
        return node != null && (node.asBoolean(false) || "zlib".equals(node.asText()));
    }

    /** {@code user.resume} when it is a string, else {@code null}: the client does not ask to resume. */
    public String resumeToken() {
        JsonNode node = user.get(RESUME);
        return node != null && node.isTextual() ? node.asText() : null;
    }

    /** {@code user.received}, or {@link #NO_COUNT} when it is missing, negative or not a whole number. */
    public long resumeReceived() {
        JsonNode node = user.get(RECEIVED);
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            return NO_COUNT;
        }
        return node.asLong();
    }

    private String firstText(String a, String b) {
        String value = text(a);
        return value != null ? value : text(b);
    }

    private String text(String field) {
        JsonNode node = sys.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
