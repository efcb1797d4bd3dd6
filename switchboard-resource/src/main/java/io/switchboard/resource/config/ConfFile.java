package io.switchboard.resource.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One conf file read as JSON with {@code //} and {@code /* *}{@code /} comments, keeping where each value starts (by
 * JSON pointer), so a check on a value can name its line and column. A tree alone would lose them.
 */
final class ConfFile {
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            // A key written twice in one object is a mistake in a hand-written file, not "the last one wins".
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final String name;
    private final JsonNode root;
    private final Map<String, JsonLocation> places;

    private ConfFile(String name, JsonNode root, Map<String, JsonLocation> places) {
        this.name = name;
        this.root = root;
        this.places = places;
    }

    /**
     * Reads {@code path}, shown as {@code name} in problems; {@code null} when it is not JSON (the problem noted in
     * {@code problems}) or missing ({@code missing} runs, to report it where the file was named).
     */
    static ConfFile read(Path path, String name, Problems problems, Runnable missing) {
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             JsonParser parser = FACTORY.createParser(reader)) {
            Map<String, JsonLocation> places = new HashMap<>();
            if (parser.nextToken() == null) {
                problems.error(name, 1, 1, "empty file: expected a JSON object");
                return null;
            }
            JsonNode root = value(parser, "", places);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                problems.error(name, at.getLineNr(), at.getColumnNr(), "more after the end of the JSON object");
                return null;
            }
            return new ConfFile(name, root, places);
        } catch (NoSuchFileException e) {
            missing.run();
            return null;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.error(name, at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(),
                    e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            problems.error(name, 0, 0, "cannot read: " + e);
            return null;
        }
    }

    private static JsonNode value(JsonParser parser, String pointer, Map<String, JsonLocation> places)
            throws IOException {
        places.putIfAbsent(pointer, parser.currentTokenLocation());
        JsonToken token = parser.currentToken();
        switch (token) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String key = parser.currentName();
                    String child = pointer + "/" + escape(key);
                    // The key's place: a missing or wrong value is reported on the line that names it.
                    places.put(child, parser.currentTokenLocation());
                    parser.nextToken();
                    object.set(key, value(parser, child, places));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(parser, pointer + "/" + array.size(), places));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(parser.getText());
            }
            case VALUE_NUMBER_INT -> {
                return NODES.numberNode(parser.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(parser.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(token == JsonToken.VALUE_TRUE);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new IllegalStateException("unexpected JSON token " + token);
        }
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    String name() {
        return name;
    }

    JsonNode root() {
        return root;
    }

    /** Where the value at {@code pointer} starts, or its nearest enclosing value's place. */
    JsonLocation place(String pointer) {
        String at = pointer;
        while (true) {
            JsonLocation location = places.get(at);
            if (location != null || at.isEmpty()) {
                return location;
            }
            at = at.substring(0, at.lastIndexOf('/'));
        }
    }
}
