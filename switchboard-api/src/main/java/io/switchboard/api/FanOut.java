package io.switchboard.api;

import java.util.ArrayList;
import java.util.Collection;
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

    /**
     * Pushes {@code body} to every session, grouped by their fan-out. A list whose sessions all share one fan-out (a
     * room on one gate or one node, the usual case) goes to it as it is, without being copied.
     */
    static void pushAll(Iterable<? extends Session> sessions, String route, byte[] body) {
        if (sessions instanceof List<? extends Session> list && !list.isEmpty()) {
            FanOut first = list.get(0).fanOut();
            boolean one = true;
            for (Session session : list) {
                if (session.fanOut() != first) {
                    one = false;
                    break;
                }
            }
            if (one) {
                first.push(list, route, body);
                return;
            }
        }
        int hint = sessions instanceof Collection<?> all ? all.size() : DEFAULT_GROUP_CAPACITY;
        Map<FanOut, List<Session>> groups = new IdentityHashMap<>();
        for (Session session : sessions) {
            groups.computeIfAbsent(session.fanOut(), f -> new ArrayList<>(hint)).add(session);
        }
        groups.forEach((fanOut, group) -> fanOut.push(group, route, body));
    }

    /** The first size of a group when the number of sessions is not known. */
    int DEFAULT_GROUP_CAPACITY = 16;
}
