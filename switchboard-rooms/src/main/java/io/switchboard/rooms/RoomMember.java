package io.switchboard.rooms;

import io.switchboard.api.Session;
import io.switchboard.api.TypedAttributes;

/** A user in a room: the user id, the session it joined with, and attributes of its own (a name, a score). */
public final class RoomMember {
    private final String userId;
    private final Session session;
    private final TypedAttributes attributes = new TypedAttributes();

    RoomMember(String userId, Session session) {
        this.userId = userId;
        this.session = session;
    }

    public String userId() {
        return userId;
    }

    public Session session() {
        return session;
    }

    /** Attributes of this membership; gone when the member leaves. */
    public TypedAttributes attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "RoomMember(" + userId + ", " + session + ")";
    }
}
