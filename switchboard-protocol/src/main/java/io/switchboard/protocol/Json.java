package io.switchboard.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The one Jackson mapper of the protocol layer, and the small JSON bodies the protocol itself defines. */
public final class Json {
    /** Shared and thread-safe once configured; never reconfigure it. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    /** The body of a kick package: {@code {"reason":"..."}}. */
    public static String kickBody(String reason) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("reason", reason == null || reason.isEmpty() ? "kicked" : reason);
        return node.toString();
    }

    /** The body of an error response: {@code {"code":<uint32>,"msg":"..."}}. */
    public static ObjectNode errorBody(long code, String msg) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("code", code);
        node.put("msg", msg == null ? "" : msg);
        return node;
    }
}
