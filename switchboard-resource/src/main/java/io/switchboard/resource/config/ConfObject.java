package io.switchboard.resource.config;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;


/**
 * One JSON object of a conf file, read key by key: a key it does not know is a warning (a typo, or a newer file), a
 * required key missing or of the wrong kind is an error. Readers return {@code null} (or -1) after noting an error, so
 * a check goes on and reports every problem of the file in one pass.
 */
final class ConfObject {
    private final ConfFile file;
    private final String pointer;
    private final JsonNode node;
    private final Problems problems;
    private final String what;

    private ConfObject(ConfFile file, String pointer, JsonNode node, Problems problems, String what, List<String> keys) {
        this.file = file;
        this.pointer = pointer;
        this.node = node;
        this.problems = problems;
        this.what = what;
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!keys.contains(name)) {
                problems.warning(file, pointer + "/" + name, "unknown key \"" + name + "\" in " + what + " (known: "
                        + String.join(", ", keys) + ")");
            }
        }
    }

    /** The file's top object; {@code null} (and an error) when the file holds something else. */
    static ConfObject root(ConfFile file, Problems problems, String what, List<String> keys) {
        if (!file.root().isObject()) {
            problems.error(file, "", what + " must be a JSON object");
            return null;
        }
        return new ConfObject(file, "", file.root(), problems, what, keys);
    }

    ConfFile file() {
        return file;
    }

    /** The pointer of {@code key} in this object, for problems about its value. */
    String pointer(String key) {
        return pointer + "/" + key;
    }

    boolean has(String key) {
        return node.has(key);
    }

    /** A required non-empty string. */
    String text(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            missing(key);
            return null;
        }
        if (!value.isTextual() || value.asText().isEmpty()) {
            problems.error(file, pointer(key), key + " in " + what + " must be a non-empty string");
            return null;
        }
        return value.asText();
    }

    /** A required scalar (string, number or boolean), as text. */
    String scalar(String key) {
        JsonNode value = node.get(key);
        if (value == null) {
            missing(key);
            return null;
        }
        if (!value.isValueNode() || value.isNull()) {
            problems.error(file, pointer(key), key + " in " + what + " must be a string");
            return null;
        }
        return value.asText();
    }

    /** A required integer in {@code [min, max]}; -1 after an error. */
    int integer(String key, int min, int max) {
        JsonNode value = node.get(key);
        if (value == null) {
            missing(key);
            return -1;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            problems.error(file, pointer(key), "bad " + key + " in " + what + ": " + value + " (an integer in "
                    + min + ".." + max + ")");
            return -1;
        }
        return value.asInt();
    }

    /** A required object; {@code null} after an error. */
    ConfObject object(String key, String childWhat, List<String> keys) {
        JsonNode value = node.get(key);
        if (value == null) {
            missing(key);
            return null;
        }
        if (!value.isObject()) {
            problems.error(file, pointer(key), key + " in " + what + " must be an object");
            return null;
        }
        return new ConfObject(file, pointer(key), value, problems, childWhat, keys);
    }

    /** The objects of an array; a required array when {@code required}, else an absent one is empty. */
    List<ConfObject> objects(String key, boolean required, String childWhat, List<String> keys) {
        JsonNode value = node.get(key);
        List<ConfObject> objects = new ArrayList<>();
        if (value == null) {
            if (required) {
                missing(key);
            }
            return objects;
        }
        if (!value.isArray()) {
            problems.error(file, pointer(key), key + " in " + what + " must be an array");
            return objects;
        }
        for (int i = 0; i < value.size(); i++) {
            String at = pointer(key) + "/" + i;
            if (value.get(i).isObject()) {
                objects.add(new ConfObject(file, at, value.get(i), problems, childWhat, keys));
            } else {
                problems.error(file, at, "each entry of " + key + " must be an object");
            }
        }
        return objects;
    }

    void error(String key, String message) {
        problems.error(file, key == null ? pointer : pointer(key), message);
    }

    void warning(String key, String message) {
        problems.warning(file, key == null ? pointer : pointer(key), message);
    }

    private void missing(String key) {
        problems.error(file, pointer, "missing required key \"" + key + "\" in " + what);
    }
}
