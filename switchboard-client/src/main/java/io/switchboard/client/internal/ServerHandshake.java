package io.switchboard.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.HandshakeResponse;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.PomeloProtocolException;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The server's handshake answer as the client reads it. Pomelo servers send the dictionary as {@code dict},
 * Switchboard also as {@code routeToCode} and {@code codeToRoute}; Pitaya as {@code dict}: any of them will do.
 *
 * @param code             200 when accepted
 * @param heartbeatSeconds the heartbeat interval; 0 when the server wants none
 * @param routeToCode      the route dictionary, empty when the server sent none
 * @param dictVersion      the dictionary's version, or {@code null}
 * @param serializer       {@code "json"} unless the server says otherwise
 * @param raw              the whole answer
 */
public record ServerHandshake(int code, int heartbeatSeconds, Map<String, Integer> routeToCode, String dictVersion,
                              String serializer, JsonNode raw) {

    public boolean accepted() {
        return code == HandshakeResponse.CODE_OK;
    }

    /** Whether the answer carried a dictionary (it may leave it out when the client already holds it). */
    public boolean hasDictionary() {
        JsonNode sys = raw.path("sys");
        return sys.has("dict") || sys.has("routeToCode") || sys.has("codeToRoute");
    }

    /** The token to resume this session with ({@code sys.session.resume}), or {@code null} when none was offered. */
    public String resumeToken() {
        JsonNode token = raw.path("sys").path("session").path("resume");
        return token.isTextual() ? token.asText() : null;
    }

    /** Whether the server resumed the session the handshake asked for ({@code sys.session.resumed: true}). */
    public boolean resumed() {
        return raw.path("sys").path("session").path("resumed").asBoolean(false);
    }

    /** Parses a handshake body; anything but a JSON object with a numeric {@code code} is a protocol error. */
    public static ServerHandshake parse(byte[] body) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            throw new PomeloProtocolException("handshake answer is not JSON");
        }
        if (root == null || !root.isObject() || !root.path("code").canConvertToInt()) {
            throw new PomeloProtocolException("handshake answer has no code");
        }
        int code = root.get("code").asInt();
        JsonNode sys = root.path("sys");
        int heartbeat = sys.path("heartbeat").asInt(0);
        if (heartbeat < 0) {
            throw new PomeloProtocolException("negative heartbeat interval " + heartbeat);
        }
        String dictVersion = sys.hasNonNull("dictVersion") ? sys.get("dictVersion").asText() : null;
        String serializer = sys.hasNonNull("serializer") ? sys.get("serializer").asText() : "json";
        return new ServerHandshake(code, heartbeat, dictionary(sys), dictVersion, serializer, root);
    }

    private static Map<String, Integer> dictionary(JsonNode sys) {
        Map<String, Integer> map = new LinkedHashMap<>();
        JsonNode routeToCode = sys.hasNonNull("dict") ? sys.get("dict") : sys.get("routeToCode");
        if (routeToCode != null && routeToCode.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = routeToCode.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode code = entry.getValue();
                if (!code.canConvertToInt()) {
                    throw new PomeloProtocolException("bad code for route " + entry.getKey() + ": " + code);
                }
                map.put(entry.getKey(), checkCode(entry.getKey(), code.asInt()));
            }
            return map;
        }
        JsonNode codeToRoute = sys.get("codeToRoute");
        if (codeToRoute != null && codeToRoute.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = codeToRoute.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                int code;
                try {
                    code = Integer.parseInt(entry.getKey());
                } catch (NumberFormatException e) {
                    throw new PomeloProtocolException("bad route code " + entry.getKey());
                }
                map.put(entry.getValue().asText(), checkCode(entry.getValue().asText(), code));
            }
        }
        return map;
    }

    private static int checkCode(String route, int code) {
        if (code < 1 || code > MessageFlags.MAX_ROUTE_CODE) {
            throw new PomeloProtocolException("bad code for route " + route + ": " + code);
        }
        return code;
    }
}
