package io.switchboard.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.Session;
import io.switchboard.handler.HandlerContext;
import io.switchboard.handler.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.serialization.JsonSerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The demo's rooms, in memory: {@code demo.room.join}, {@code demo.room.say}, {@code demo.room.leave}. A
 * session is in at most one room; closing the session leaves it. Each room's membership changes under the
 * room's lock; a push body is serialized once per message and written to every member.
 */
public final class DemoRooms {
    public static final String ON_JOIN = "onJoin";
    public static final String ON_CHAT = "onChat";
    public static final String ON_LEAVE = "onLeave";
    private static final int MAX_NAME = 64;
    private static final String ROOM_ATTR = "demo.room";

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();

    /** Registers the room routes on {@code handlers}. */
    public void register(Handlers handlers) {
        handlers.request("demo.room.join", this::join)
                .notify("demo.room.say", this::say)
                .request("demo.room.leave", this::leave)
                .pushRoutes(ON_JOIN, ON_CHAT, ON_LEAVE);
    }

    private static final class Room {
        final String id;
        /** Session id → member, in join order. */
        final Map<Long, Member> members = new LinkedHashMap<>();

        Room(String id) {
            this.id = id;
        }
    }

    private record Member(String name, Session session) {
    }

    private Object join(HandlerContext ctx) {
        JsonNode body = ctx.body(JsonNode.class);
        String roomId = text(body, "room");
        String name = text(body, "name");
        if (roomId == null || name == null) {
            throw new SwitchboardException(DemoErrors.BAD_JOIN);
        }
        Session session = ctx.session();
        leaveCurrent(session);
        List<String> names = new ArrayList<>();
        List<Session> others = new ArrayList<>();
        while (true) {
            Room room = rooms.computeIfAbsent(roomId, Room::new);
            synchronized (room) {
                if (rooms.get(roomId) != room) {
                    continue; // emptied and removed while we waited for it
                }
                room.members.values().forEach(m -> others.add(m.session()));
                room.members.put(session.id(), new Member(name, session));
                room.members.values().forEach(m -> names.add(m.name()));
            }
            break;
        }
        session.attributes().put(ROOM_ATTR, roomId);
        if (session.attributes().putIfAbsent("demo.closeHook", Boolean.TRUE) == null) {
            session.onClose((s, reason) -> leaveCurrent(s));
        }
        ObjectNode joined = Json.MAPPER.createObjectNode().put("name", name);
        pushAll(others, ON_JOIN, joined);
        ObjectNode response = Json.MAPPER.createObjectNode().put("code", 200);
        names.forEach(response.putArray("members")::add);
        return response;
    }

    private void say(HandlerContext ctx) {
        Session session = ctx.session();
        String roomId = (String) session.attributes().get(ROOM_ATTR);
        Room room = roomId == null ? null : rooms.get(roomId);
        if (room == null) {
            throw new SwitchboardException(DemoErrors.NOT_IN_ROOM);
        }
        JsonNode body = ctx.body(JsonNode.class);
        List<Session> members = new ArrayList<>();
        String from;
        synchronized (room) {
            Member me = room.members.get(session.id());
            if (me == null) {
                throw new SwitchboardException(DemoErrors.NOT_IN_ROOM);
            }
            from = me.name();
            room.members.values().forEach(m -> members.add(m.session()));
        }
        ObjectNode chat = Json.MAPPER.createObjectNode().put("from", from);
        chat.set("text", body == null ? null : body.get("text"));
        pushAll(members, ON_CHAT, chat);
    }

    private Object leave(HandlerContext ctx) {
        if (!leaveCurrent(ctx.session())) {
            throw new SwitchboardException(DemoErrors.NOT_IN_ROOM);
        }
        return Json.MAPPER.createObjectNode().put("code", 200);
    }

    /** Takes the session out of its room and tells the others; false when it was in none. */
    private boolean leaveCurrent(Session session) {
        String roomId = (String) session.attributes().remove(ROOM_ATTR);
        Room room = roomId == null ? null : rooms.get(roomId);
        if (room == null) {
            return false;
        }
        Member left;
        List<Session> others = new ArrayList<>();
        synchronized (room) {
            left = room.members.remove(session.id());
            room.members.values().forEach(m -> others.add(m.session()));
            if (room.members.isEmpty()) {
                rooms.remove(roomId, room);
            }
        }
        if (left != null) {
            pushAll(others, ON_LEAVE, Json.MAPPER.createObjectNode().put("name", left.name()));
        }
        return left != null;
    }

    private static void pushAll(List<Session> sessions, String route, Object body) {
        if (sessions.isEmpty()) {
            return;
        }
        byte[] bytes;
        try {
            bytes = JsonSerializer.INSTANCE.encode(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Session s : sessions) {
            s.push(route, bytes);
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
