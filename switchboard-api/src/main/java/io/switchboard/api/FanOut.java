package io.switchboard.api;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Delivers one push to many sessions of one kind at once. Each {@link Session} names the fan-out that serves it
 * ({@link Session#fanOut()}): a gate's own sessions share one that encodes the package once and writes it to all of
 * them; a service node's sessions share one that sends a single message per gate. {@link #pushAll} groups any mix of
 * sessions by their fan-out, so a room broadcast costs one serialization and one write per gate or encoding.
 */
@FunctionalInterface
public interface FanOut {

    /** Pushes one already serialized body to every session of {@code sessions}, all of which name this fan-out. */
    void push(List<? extends Session> sessions, String route, byte[] body);

    /** One {@link Session#push(String, byte[])} per session: the fallback for sessions of unknown kinds. */
    FanOut PER_SESSION = (sessions, route, body) -> {
        for (Session session : sessions) {
            session.push(route, body);
        }
    };

    /** Pushes {@code body} to every session, grouped by their fan-out. */
    static void pushAll(Iterable<? extends Session> sessions, String route, byte[] body) {
        Map<FanOut, List<Session>> groups = new IdentityHashMap<>();
        for (Session session : sessions) {
            groups.computeIfAbsent(session.fanOut(), f -> new ArrayList<>()).add(session);
        }
        groups.forEach((fanOut, group) -> fanOut.push(group, route, body));
    }
}
