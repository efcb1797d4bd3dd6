package io.switchboard.chat.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.HandlerContext;
import io.switchboard.protocol.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A request's JSON object with typed, checked field access: every missing or ill-typed field is a
 * {@link ChatErrors#BAD_REQUEST} that names the field, never a parse exception.
 */
final class RequestBody {
    private final ObjectNode json;

    private RequestBody(ObjectNode json) {
        this.json = json;
    }

    /** The body of {@code ctx}: a JSON object, or empty (read as {}). */
    static RequestBody of(HandlerContext ctx) {
        byte[] bytes = ctx.bodyBytes();
        if (bytes.length == 0) {
            return new RequestBody(Json.MAPPER.createObjectNode());
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw bad("the body is not JSON");
        }
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new RequestBody(Json.MAPPER.createObjectNode());
        }
        if (!(node instanceof ObjectNode object)) {
            throw bad("the body must be a JSON object");
        }
        return new RequestBody(object);
    }

    boolean has(String field) {
        JsonNode node = json.get(field);
        return node != null && !node.isNull();
    }

    String text(String field) {
        String value = optionalText(field);
        if (value == null) {
            throw bad("'" + field + "' is required");
        }
        return value;
    }

    String optionalText(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw bad("'" + field + "' must be a string");
        }
        return node.textValue();
    }

    /** A non-negative integer field, or {@code fallback} when absent. */
    long seq(String field, long fallback) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw bad("'" + field + "' must be a non-negative integer");
        }
        return node.longValue();
    }

    long requiredSeq(String field) {
        if (!has(field)) {
            throw bad("'" + field + "' is required");
        }
        return seq(field, 0);
    }

    /** A page size from 1 to {@code max}, or {@code fallback} when absent. */
    int limit(String field, int fallback, int max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < 1 || node.intValue() > max) {
            throw bad("'" + field + "' must be an integer from 1 to " + max);
        }
        return node.intValue();
    }

    /** An array of strings, or an empty list when absent. */
    List<String> texts(String field, int max) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > max) {
            throw bad("'" + field + "' must be an array of at most " + max + " strings");
        }
        List<String> result = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw bad("'" + field + "' must be an array of strings");
            }
            result.add(item.textValue());
        }
        return result;
    }

    static SwitchboardException bad(String why) {
        return new SwitchboardException(ChatErrors.BAD_REQUEST, "bad request: " + why);
    }
}
