package io.switchboard.rooms;

import io.switchboard.api.Session;
import io.switchboard.api.HandlerContext;

import java.lang.reflect.Type;

/** A client message as a {@link RoomHandler} sees it: the room, the sender and the body. */
public final class RoomMessage {
    private final Room room;
    private final HandlerContext ctx;

    RoomMessage(Room room, HandlerContext ctx) {
        this.room = room;
        this.ctx = ctx;
    }

    public Room room() {
        return room;
    }

    public Session session() {
        return ctx.session();
    }

    /** The sender's membership, or {@code null} when its session is not in the room (say, before joining). */
    public RoomMember member() {
        return room.memberOf(ctx.session());
    }

    public String route() {
        return ctx.route();
    }

    public boolean isRequest() {
        return ctx.isRequest();
    }

    public byte[] bodyBytes() {
        return ctx.bodyBytes();
    }

    /** The body read as {@code type}; an unreadable body answers with {@code BAD_BODY}. */
    public <T> T body(Class<T> type) {
        return ctx.body(type);
    }

    public Object body(Type type) {
        return ctx.body(type);
    }

    /** The handler runtime's context of this message. */
    public HandlerContext context() {
        return ctx;
    }
}
