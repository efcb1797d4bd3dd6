package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.Json;

/**
 * Pins a message to a node by something in it rather than by its session: a room id, so that every member of a
 * room reaches the one node that holds the room, whatever gate they sit on. A gate maps a key to a node by
 * rendezvous hashing over the serving, linked nodes of the service, so every gate with the same view of the
 * registry picks the same node, and remembers its choice while that node's link is up (for a bounded number of
 * recently used keys: clients choose them). After a keyed message the session is sticky to the key's node for that
 * service (its earlier node is told the session left).
 */
@FunctionalInterface
public interface PlacementKey {

    /** The key of a message, or {@code null} to place it by its session as usual. */
    String of(String route, byte[] body);

    /** The text of a top-level field of a JSON object body; {@code null} when absent or unreadable. */
    static PlacementKey jsonField(String field) {
        return (route, body) -> {
            try {
                JsonNode node = Json.MAPPER.readTree(body);
                JsonNode value = node == null ? null : node.get(field);
                return value != null && value.isValueNode() && !value.asText().isEmpty() ? value.asText() : null;
            } catch (Exception e) {
                return null;
            }
        };
    }
}
