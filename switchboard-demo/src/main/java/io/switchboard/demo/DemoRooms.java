package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Session;
import io.switchboard.api.TypedKey;
import io.switchboard.api.HandlerContext;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.rooms.Room;
import io.switchboard.api.errors.RoomErrors;
import io.switchboard.rooms.RoomListener;
import io.switchboard.rooms.RoomLocator;
import io.switchboard.rooms.RoomMember;
import io.switchboard.rooms.RoomMessage;
import io.switchboard.rooms.RoomRegistry;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * The demo's rooms on the room runtime: {@code demo.room.join}, {@code demo.room.say}, {@code demo.room.leave}. A
 * session is in at most one room; closing the session leaves it; a room closes when its last member leaves. All room
 * work runs as the room, one task at a time (a chat line on the thread that delivered it when the room is idle, the
 * rest on the room's executor), so none of it takes a lock.
 *
 * <p>A join tells the others ({@code onJoin}) and answers with every member's name, unless its body says
 * {@code "quiet": true}: then nobody is told and the answer is the member count ({@code size}), and nobody is told
 * when that member leaves either. In a room of M members the loud joins cost M²/2 pushes and names in all, and as
 * many leaves when they go; a live room of thousands joins quietly.
 */
public final class DemoRooms implements RoomListener {
    public static final String ON_JOIN = "onJoin";
    public static final String ON_CHAT = "onChat";
    public static final String ON_LEAVE = "onLeave";
    private static final int MAX_NAME = 64;
    private static final TypedKey<String> NAME = TypedKey.of("demo.name", String.class);
    /** Set on a member whose join was quiet: its leave is quiet too. */
    private static final TypedKey<Boolean> QUIET = TypedKey.of("demo.quiet", Boolean.class);
    /**
     * The session's last join or leave, until it is done: the next one waits for it. Handlers of one session run one at
     * a time, but a join's work ends later, on the room: without the wait, joins sent back to back would each find the
     * session in no room yet and enter rooms of their own.
     */
    @SuppressWarnings("rawtypes")
    private static final TypedKey<CompletableFuture> MEMBERSHIP = TypedKey.of("demo.membership",
            CompletableFuture.class);
    /** A join that finds its room closing retries on a fresh one; more than this means something is wrong. */
    private static final int JOIN_ATTEMPTS = 5;

    private RoomRegistry rooms;

    /** The listener half must exist before the registry; {@link #register} attaches the registry. */
    public DemoRooms() {
    }

    /** Registers the room routes on {@code handlers}, with rooms in {@code rooms} (built with this as listener). */
    public void register(Handlers handlers, RoomRegistry rooms) {
        this.rooms = rooms;
        handlers.request("demo.room.join", this::join)
                .placeByRoom("demo.room.join", "room")
                .request("demo.room.leave", this::leave)
                .pushRoutes(ON_JOIN, ON_CHAT, ON_LEAVE);
        rooms.handle("demo.room.say", this::say);
        // A chat line only reads the room and broadcasts: it may run in the room on the thread that delivered it.
        rooms.routeNonBlocking(handlers, "demo.room.say", RoomLocator.sessionRoom(), DemoErrors.NOT_IN_ROOM);
    }

    /** A demo member is its session: names are for display and need not be unique. */
    private static String userId(Session session) {
        return "session-" + session.id();
    }

    private Object join(HandlerContext ctx) {
        JsonNode body = ctx.body(JsonNode.class);
        String roomId = text(body, "room");
        String name = text(body, "name");
        if (roomId == null || name == null) {
            throw new SwitchboardException(DemoErrors.BAD_JOIN);
        }
        boolean quiet = body.path("quiet").asBoolean(false);
        Session session = ctx.session();
        return afterMembershipChanges(session, () -> leaveCurrent(session)
                .thenCompose(left -> enter(roomId, name, quiet, session, JOIN_ATTEMPTS)));
    }

    /** Runs {@code change} once the session's previous join or leave is done, and makes it the one the next waits for. */
    private static <T> CompletableFuture<T> afterMembershipChanges(Session session,
                                                                   Supplier<CompletableFuture<T>> change) {
        CompletableFuture<?> before = session.attributes().get(MEMBERSHIP);
        CompletableFuture<T> after = before == null || before.isDone() ? change.get()
                : before.handle((v, e) -> null).thenCompose(v -> change.get());
        session.attributes().set(MEMBERSHIP, after);
        return after;
    }

    private CompletableFuture<Object> enter(String roomId, String name, boolean quiet, Session session, int attempts) {
        Room room = rooms.getOrCreate(roomId);
        return room.<Object>submit(() -> {
            RoomMember me = room.addUser(userId(session), session);
            me.attributes().set(NAME, name);
            ObjectNode response = Json.MAPPER.createObjectNode().put("code", 200);
            if (quiet) {
                me.attributes().set(QUIET, Boolean.TRUE);
                return response.put("size", room.size());
            }
            room.broadcast(ON_JOIN, Json.MAPPER.createObjectNode().put("name", name), m -> m != me);
            room.members().forEach(m -> response.withArray("members").add(m.attributes().get(NAME)));
            return response;
        }).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (attempts > 1 && cause instanceof SwitchboardException e && e.errorCode() == RoomErrors.ROOM_CLOSED) {
                return enter(roomId, name, quiet, session, attempts - 1); // it emptied and closed under us
            }
            return CompletableFuture.failedFuture(cause);
        });
    }

    private Object say(RoomMessage message) {
        RoomMember me = message.member();
        if (me == null) {
            throw new SwitchboardException(DemoErrors.NOT_IN_ROOM);
        }
        JsonNode body = message.body(JsonNode.class);
        ObjectNode chat = Json.MAPPER.createObjectNode().put("from", me.attributes().get(NAME));
        chat.set("text", body == null ? null : body.get("text"));
        message.room().broadcast(ON_CHAT, chat);
        return null;
    }

    private Object leave(HandlerContext ctx) {
        Session session = ctx.session();
        return afterMembershipChanges(session, () -> leaveCurrent(session)).thenApply(left -> {
            if (!left) {
                throw new SwitchboardException(DemoErrors.NOT_IN_ROOM);
            }
            return Json.MAPPER.createObjectNode().put("code", 200);
        });
    }

    /** Takes the session out of its room; false when it was in none. The others hear it from {@link #left}. */
    private CompletableFuture<Boolean> leaveCurrent(Session session) {
        List<Room> current = rooms.roomsOf(session);
        if (current.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        Room room = current.get(0);
        return room.submit(() -> room.removeUser(userId(session)))
                .exceptionally(e -> false); // closed meanwhile: nothing left to leave
    }

    @Override
    public void left(Room room, RoomMember member, String reason) {
        if (member.attributes().get(QUIET) == null) {
            room.broadcast(ON_LEAVE, Json.MAPPER.createObjectNode().put("name", member.attributes().get(NAME)));
        }
        if (room.size() == 0) {
            room.close("empty");
        }
    }

    private static String text(JsonNode body, String field) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            return null;
        }
        String value = node.asText();
        return value.isEmpty() || value.length() > MAX_NAME ? null : value;
    }
}
