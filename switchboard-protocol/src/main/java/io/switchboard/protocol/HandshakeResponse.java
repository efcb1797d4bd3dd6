package io.switchboard.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;

/**
 * The server's handshake answer, exactly as Pomelo's connector writes it:
 * {@code {"code":200,"sys":{"heartbeat":s,"dict":{..},"routeToCode":{..},"codeToRoute":{..},"dictVersion":"..",
 * "useDict":true,"serializer":"json"},"user":{..}}}; on failure only {@code {"code":500}} or {@code {"code":501}}.
 */
public final class HandshakeResponse {
    /** Handshake accepted. */
    public static final int CODE_OK = 200;
    /** Bad handshake (Pomelo's CODE_USE_ERROR). */
    public static final int CODE_BAD_HANDSHAKE = 500;
    /** Client version refused (Pomelo's CODE_OLD_CLIENT). */
    public static final int CODE_OLD_CLIENT = 501;

    private HandshakeResponse() {
    }

    /**
     * The body of a successful handshake.
     *
     * @param sendDictionary false when the client already holds this dictionary version
     */
    public static byte[] accepted(int heartbeatSeconds, RouteDictionary dictionary, boolean sendDictionary,
                                  String serializer, boolean compress, JsonNode user) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", CODE_OK);
        ObjectNode sys = root.putObject("sys");
        sys.put("heartbeat", heartbeatSeconds);
        if (sendDictionary) {
            ObjectNode dict = Json.MAPPER.valueToTree(dictionary.routeToCode());
            sys.set("dict", dict);
            sys.set("routeToCode", dict.deepCopy());
            sys.set("codeToRoute", Json.MAPPER.valueToTree(dictionary.codeToRoute()));
        }
        sys.put("dictVersion", dictionary.version());
        sys.put("useDict", true);
        sys.put("serializer", serializer);
        if (compress) {
            sys.put("compress", "zlib");
        }
        if (user != null && !user.isNull()) {
            root.set("user", user);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The body of a refused handshake: only the code. */
    public static byte[] refused(int code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", code);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
