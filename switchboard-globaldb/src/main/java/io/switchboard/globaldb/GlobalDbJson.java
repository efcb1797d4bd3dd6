package io.switchboard.globaldb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The JSON of globaldb's values, shared by every store and the world file: a machine's process specs as a JSON list,
 * a user as {@code {salt,hash,role}}, a record's {@code info}.
 */
public final class GlobalDbJson {
    /** Strict: a field globaldb does not know is an error, not silently dropped. */
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private GlobalDbJson() {
    }

    /** A machine's processes as globaldb holds them under the machine's IP. */
    public static String writeSpecs(List<ProcessSpec> specs) {
        try {
            return MAPPER.writeValueAsString(specs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("process specs always serialize", e);
        }
    }

    /** A stored operator: salt and hash as {@link PasswordHash} makes them, and the role's wire name. */
    public record StoredUser(String salt, String hash, Role role) {

        public String toJson() {
            ObjectNode json = MAPPER.createObjectNode().put("salt", salt).put("hash", hash).put("role", role.wireName());
            return json.toString();
        }

        /**
         * Reads a stored user, refusing one whose salt or hash {@link PasswordHash#check} refuses: a hand-written
         * entry must be a clear error here, not an IllegalArgumentException from PBKDF2 at login. The message names
         * the user, never the salt or hash.
         */
        public static StoredUser fromJson(String name, String json) {
            try {
                JsonNode node = MAPPER.readTree(json);
                if (node == null || !node.isObject()) {
                    throw new IllegalArgumentException("not a JSON object {salt,hash,role}");
                }
                String salt = text(node, "salt");
                String hash = text(node, "hash");
                PasswordHash.check(salt, hash);
                return new StoredUser(salt, hash, Role.parse(node.path("role").asText()));
            } catch (JsonProcessingException e) {
                // Neither its message nor it as the cause: Jackson may quote the text it read, salt and hash included.
                throw new GlobalDbException("malformed entry of user " + name + " in globaldb: not JSON"
                        + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                        + e.getLocation().getColumnNr() + ")"));
            } catch (IllegalArgumentException e) {
                throw new GlobalDbException("malformed entry of user " + name + " in globaldb: " + e.getMessage(), e);
            }
        }

        /** A text field, or null when absent; a field of another type is an error. */
        private static String text(JsonNode node, String field) {
            JsonNode value = node.get(field);
            if (value != null && !value.isTextual()) {
                throw new IllegalArgumentException(field + " is not a string");
            }
            return value == null ? null : value.asText();
        }

        /** Hashes a new password with a fresh salt. */
        public static StoredUser of(char[] password, Role role, int iterations) {
            String salt = PasswordHash.newSalt();
            return new StoredUser(salt, PasswordHash.hash(password, salt, iterations), role);
        }

        public boolean matches(char[] password) {
            return PasswordHash.matches(password, salt, hash);
        }

        /**
         * Whether {@code password} is the password of {@code user}, taking as long for a user with no entry (null)
         * as for one with: a failed login must not tell whether the name exists.
         */
        public static boolean matches(StoredUser user, char[] password, int iterations) {
            if (user == null) {
                PasswordHash.matches(password, NOBODY_SALT, "pbkdf2-sha256$" + iterations + "$AAAA");
                return false;
            }
            return user.matches(password);
        }

        private static final String NOBODY_SALT = PasswordHash.newSalt();
    }

    /** A record's {@code info} from its stored text: an empty object when absent, unreadable ones included. */
    public static JsonNode readInfo(String json) {
        if (json == null || json.isEmpty()) {
            return MAPPER.createObjectNode();
        }
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            return MAPPER.createObjectNode();
        }
    }
}
