package io.switchboard.api;

import java.util.Objects;

/**
 * Where a user's session lives: the gate (an id unique per gate process, see {@link UserSessions}) and the session's
 * id on that gate.
 */
public record SessionLocation(String gateId, long sessionId) {

    public SessionLocation {
        Objects.requireNonNull(gateId, "gateId");
        if (gateId.isEmpty() || gateId.indexOf('/') >= 0) {
            throw new IllegalArgumentException("gate ids are non-empty and have no '/': " + gateId);
        }
    }

    /** {@code gateId/sessionId}: how directories store it. */
    public String key() {
        return gateId + '/' + sessionId;
    }

    /** Reads {@link #key()}. */
    public static SessionLocation parse(String key) {
        int slash = key.lastIndexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a session location: " + key);
        }
        return new SessionLocation(key.substring(0, slash), Long.parseLong(key.substring(slash + 1)));
    }
}
