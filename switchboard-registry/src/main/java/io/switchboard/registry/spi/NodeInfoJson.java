package io.switchboard.registry.spi;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.switchboard.registry.NodeInfo;

import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON form of a {@link NodeInfo}, as stored by registries that keep records outside the JVM. */
public final class NodeInfoJson {

    // Plain defaults on purpose: the JSON must stay readable by any Jackson user and by hand.
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private NodeInfoJson() {
    }

    public static byte[] encode(NodeInfo info) {
        try {
            return MAPPER.writeValueAsBytes(info);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a record; throws {@link IOException} when the bytes are not a valid one. */
    public static NodeInfo decode(byte[] json) throws IOException {
        return MAPPER.readValue(json, NodeInfo.class);
    }
}
