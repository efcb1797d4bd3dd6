package io.switchboard.rooms;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.HandlerContext;
import io.switchboard.protocol.Json;

import java.util.Set;

/** Finds the room a client message is for; see {@link RoomRegistry#route}. */
@FunctionalInterface
public interface RoomLocator {

    /** The room id, or {@code null} when the message names none. */
    String roomOf(HandlerContext ctx);

    /** The one room the message's session is in; {@code null} when it is in none (or in several). */
    static RoomLocator sessionRoom() {
        return ctx -> {
            Set<String> rooms = RoomRegistry.roomIdsOf(ctx.session());
            return rooms.size() == 1 ? rooms.iterator().next() : null;
        };
    }

    /** The text of a top-level field of a JSON object body. */
    static RoomLocator jsonField(String field) {
        return ctx -> {
            try {
                JsonNode body = Json.MAPPER.readTree(ctx.bodyBytes());
                JsonNode value = body == null ? null : body.get(field);
                return value != null && value.isValueNode() && !value.asText().isEmpty() ? value.asText() : null;
            } catch (Exception e) {
                return null;
            }
        };
    }
}
