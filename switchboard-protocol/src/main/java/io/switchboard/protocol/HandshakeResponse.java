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
        return accepted(heartbeatSeconds, dictionary, sendDictionary, serializer, compress, user, null);
    }

    /**
     * The body of a successful handshake with {@code sys.session} (see {@link #session}); extra {@code sys} fields
     * are harmless to Pomelo clients.
     */
    public static byte[] accepted(int heartbeatSeconds, RouteDictionary dictionary, boolean sendDictionary,
                                  String serializer, boolean compress, JsonNode user, JsonNode session) {
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
        if (session != null) {
            sys.set("session", session);
        }
        if (user != null && !user.isNull()) {
            root.set("user", user);
        }
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code sys.session} (DESIGN §11): {@code {"id":"<session id>","resume":"<token>"}}, plus {@code "resumed"}
     * when the client asked to resume. The id is a string: JavaScript numbers cannot hold every 64-bit id.
     */
    public static ObjectNode session(long id, String resumeToken, Boolean resumed) {
        ObjectNode session = Json.MAPPER.createObjectNode();
        session.put("id", Long.toString(id));
        session.put(HandshakeRequest.RESUME, resumeToken);
        if (resumed != null) {
            session.put("resumed", resumed);
        }
        return session;
    }

    /** The body of a refused handshake: only the code. */
    public static byte[] refused(int code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", code);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
