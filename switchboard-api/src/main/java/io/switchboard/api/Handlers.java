package io.switchboard.api;

import io.switchboard.api.internal.AnnotatedHandlers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Registers the routes a server serves and the filters around them: lambdas ({@link #request}, {@link #notify}) or
 * the {@link Route} methods of {@link Handler} classes ({@link #register}). Fill it before the server starts; the
 * server reads it through {@link #table()} and it must not change afterwards.
 */
public final class Handlers {
    /** A route's segments: {@code service.handler.method}. */
    private static final int ROUTE_SEGMENTS = 3;

    private final Map<String, HandlerTable.Entry> entries = new LinkedHashMap<>();
    private final List<Filter> filters = new ArrayList<>();
    private final Set<String> pushRoutes = new LinkedHashSet<>();
    private final Map<String, String> roomKeys = new LinkedHashMap<>();

    public Handlers request(String route, RequestHandler handler) {
        return put(new HandlerTable.Entry(checkRoute(route), Objects.requireNonNull(handler, "handler"), null, false));
    }

    public Handlers notify(String route, NotifyHandler handler) {
        return put(new HandlerTable.Entry(checkRoute(route), null, Objects.requireNonNull(handler, "handler"), false));
    }

    /**
     * A request handler that never blocks: the gate may run it, and the filters, on the connection's I/O thread
     * (opt-in; see {@link Route#nonBlocking()} for what that means and what it keeps).
     */
    public Handlers requestNonBlocking(String route, RequestHandler handler) {
        return put(new HandlerTable.Entry(checkRoute(route), Objects.requireNonNull(handler, "handler"), null, true));
    }

    /** A notify handler that never blocks, run on the I/O thread like {@link #requestNonBlocking}. */
    public Handlers notifyNonBlocking(String route, NotifyHandler handler) {
        return put(new HandlerTable.Entry(checkRoute(route), null, Objects.requireNonNull(handler, "handler"), true));
    }

    /** Registers every {@link Route} method of a {@link Handler}-annotated object. */
    public Handlers register(Object annotatedHandler) {
        AnnotatedHandlers.scan(annotatedHandler).forEach(entry -> put(new HandlerTable.Entry(checkRoute(entry.route()),
                entry.requestHandler(), entry.notifyHandler(), entry.nonBlocking())));
        return this;
    }

    /** Adds a filter; filters run in the order added, before the handler. */
    public Handlers filter(Filter filter) {
        filters.add(Objects.requireNonNull(filter, "filter"));
        return this;
    }

    /** Declares routes that the server pushes, so they get dictionary codes too. */
    public Handlers pushRoutes(String... routes) {
        Collections.addAll(pushRoutes, routes);
        return this;
    }

    /**
     * Places the messages of {@code route} by a room rather than by session: in cluster mode every gate sends them to
     * the one node that owns the room named by the top-level JSON field {@code field} of their body, so all members
     * of a room meet on one node. Declared once, here, by the service that serves the route; its nodes publish it.
     */
    public Handlers placeByRoom(String route, String field) {
        checkRoute(route);
        if (field == null || field.isEmpty()) {
            throw new IllegalArgumentException("a room field is a JSON field name");
        }
        if (roomKeys.putIfAbsent(route, field) != null) {
            throw new IllegalArgumentException("room key declared twice: " + route);
        }
        return this;
    }

    /** What has been registered, as the server reads it; a copy, so later registrations do not show in it. */
    public HandlerTable table() {
        return new HandlerTable(entries, filters, pushRoutes, roomKeys);
    }

    /**
     * Whether a string has the {@code service.handler.method} form: three non-empty segments of ASCII letters,
     * digits, {@code _} and {@code -}, joined by dots. Checked by hand, not by a regular expression: a cluster gate
     * checks every request's route, and a matcher costs an allocation and a walk of the pattern each time.
     */
    public static boolean isValidRoute(String route) {
        if (route == null) {
            return false;
        }
        int segments = 1;
        int segmentLength = 0;
        for (int i = 0; i < route.length(); i++) {
            char c = route.charAt(i);
            if (c == '.') {
                if (segmentLength == 0 || ++segments > ROUTE_SEGMENTS) {
                    return false;
                }
                segmentLength = 0;
            } else if (isRouteChar(c)) {
                segmentLength++;
            } else {
                return false;
            }
        }
        return segments == ROUTE_SEGMENTS && segmentLength > 0;
    }

    private static boolean isRouteChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    private Handlers put(HandlerTable.Entry entry) {
        if (entries.putIfAbsent(entry.route(), entry) != null) {
            throw new IllegalArgumentException("route registered twice: " + entry.route());
        }
        return this;
    }

    private static String checkRoute(String route) {
        if (!isValidRoute(route)) {
            throw new IllegalArgumentException("routes are service.handler.method: '" + route + "'");
        }
        return route;
    }
}
