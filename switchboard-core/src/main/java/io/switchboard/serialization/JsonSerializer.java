package io.switchboard.serialization;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.io.IOException;
import java.lang.reflect.Type;

/** JSON bodies through Jackson: Pomelo's default. An empty body reads as JSON null. */
public final class JsonSerializer implements Serializer {
    public static final String NAME = "json";
    public static final JsonSerializer INSTANCE = new JsonSerializer();
    private static final byte[] EMPTY = new byte[0];

    private final ObjectMapper mapper = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JsonSerializer() {
    }

    /** The mapper, for handlers that want to build JSON trees. */
    public ObjectMapper mapper() {
        return mapper;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte[] encode(Object value) throws IOException {
        if (value == null) {
            return EMPTY;
        }
        if (value instanceof byte[] bytes) {
            return bytes;
        }
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public Object decode(byte[] body, Type type) throws IOException {
        if (type == byte[].class) {
            return body;
        }
        if (body.length == 0) {
            return type == JsonNode.class || type == Object.class ? NullNode.instance : null;
        }
        if (type == JsonNode.class) {
            JsonNode tree = mapper.readTree(body);
            return tree == null ? NullNode.instance : tree;
        }
        return mapper.readValue(body, mapper.constructType(type));
    }
}
