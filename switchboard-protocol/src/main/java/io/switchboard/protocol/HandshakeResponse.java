package io.switchboard.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

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

    private static final byte[] DICT_VERSION = ascii(",\"dictVersion\":");
    private static final byte[] USE_DICT_SERIALIZER = ascii(",\"useDict\":true,\"serializer\":");
    private static final byte[] COMPRESS_ZLIB = ascii(",\"compress\":\"zlib\"");
    private static final byte[] SESSION = ascii(",\"session\":");
    private static final byte[] USER = ascii(",\"user\":");

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
     * are harmless to Pomelo clients. It is {@link #acceptedHead} followed by {@link #acceptedTail}.
     */
    public static byte[] accepted(int heartbeatSeconds, RouteDictionary dictionary, boolean sendDictionary,
                                  String serializer, boolean compress, JsonNode user, JsonNode session) {
        byte[] head = acceptedHead(heartbeatSeconds, dictionary, sendDictionary);
        byte[] tail = acceptedTail(dictionary, serializer, compress, user, session);
        byte[] body = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, body, head.length, tail.length);
        return body;
    }

    /**
     * The start of an accepted answer, {@code {"code":200,"sys":{"heartbeat":s} and, when sent, the dictionary's
     * three fields, with {@code sys} left open: the same for every client a server answers with this dictionary, so
     * a server may encode it once. {@link #acceptedTail} completes it.
     */
    public static byte[] acceptedHead(int heartbeatSeconds, RouteDictionary dictionary, boolean sendDictionary) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
            // Closing the generator must not close the objects: the tail continues sys.
            json.disable(JsonGenerator.Feature.AUTO_CLOSE_JSON_CONTENT);
            json.writeStartObject();
            json.writeNumberField("code", CODE_OK);
            json.writeObjectFieldStart("sys");
            json.writeNumberField("heartbeat", heartbeatSeconds);
            if (sendDictionary) {
                // Pomelo's connector sends the dictionary three times: its JavaScript client reads dict, its C
                // and other clients routeToCode and codeToRoute.
                writeRouteToCode(json, "dict", dictionary);
                writeRouteToCode(json, "routeToCode", dictionary);
                json.writeObjectFieldStart("codeToRoute");
                for (Map.Entry<String, Integer> entry : dictionary.routeToCode().entrySet()) {
                    json.writeStringField(String.valueOf(entry.getValue()), entry.getKey());
                }
                json.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
    }

    private static void writeRouteToCode(JsonGenerator json, String field, RouteDictionary dictionary)
            throws IOException {
        json.writeObjectFieldStart(field);
        for (Map.Entry<String, Integer> entry : dictionary.routeToCode().entrySet()) {
            json.writeNumberField(entry.getKey(), entry.getValue());
        }
        json.writeEndObject();
    }

    /**
     * The rest of an accepted answer after {@link #acceptedHead}: the fields that may differ per client, from
     * {@code ,"dictVersion":..} to the closing brace.
     */
    public static byte[] acceptedTail(RouteDictionary dictionary, String serializer, boolean compress, JsonNode user,
                                      JsonNode session) {
        ByteArrayBuilder out = new ByteArrayBuilder();
        try {
            // The head left sys open after a field: a generator cannot start inside an object, so the tail's
            // separators are written here and only the values go through Jackson.
            out.write(DICT_VERSION);
            Json.MAPPER.writeValue(out, dictionary.version());
            out.write(USE_DICT_SERIALIZER);
            Json.MAPPER.writeValue(out, serializer);
            if (compress) {
                out.write(COMPRESS_ZLIB);
            }
            if (session != null) {
                out.write(SESSION);
                Json.MAPPER.writeValue(out, session);
            }
            out.write('}');
            if (user != null && !user.isNull()) {
                out.write(USER);
                Json.MAPPER.writeValue(out, user);
            }
            out.write('}');
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return out.toByteArray();
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

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The body of a refused handshake: only the code. */
    public static byte[] refused(int code) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("code", code);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }
}
