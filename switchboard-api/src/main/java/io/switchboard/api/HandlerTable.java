package io.switchboard.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The routes and filters of a {@link Handlers}, fixed, as servers read them. Immutable, so the runtime reads it from
 * any thread without locks.
 */
public final class HandlerTable {
    private final Map<String, Entry> entries;
    private final List<Filter> filters;
    private final Set<String> pushRoutes;
    private final Map<String, String> roomKeys;

    /**
     * A registered route: a request handler (which also takes notifies) or a notify-only handler; {@code nonBlocking}
     * lets the gate run it on the connection's I/O thread (see {@link Route#nonBlocking()}).
     */
    public record Entry(String route, RequestHandler requestHandler, NotifyHandler notifyHandler,
                        boolean nonBlocking) {
        public boolean takesRequests() {
            return requestHandler != null;
        }
    }

    HandlerTable(Map<String, Entry> entries, List<Filter> filters, Set<String> pushRoutes,
                 Map<String, String> roomKeys) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        this.roomKeys = Collections.unmodifiableMap(new LinkedHashMap<>(roomKeys));
        this.filters = List.copyOf(filters);
        this.pushRoutes = Collections.unmodifiableSet(new LinkedHashSet<>(pushRoutes));
    }

    /** The entry of {@code route}, or {@code null}. */
    public Entry lookup(String route) {
        return entries.get(route);
    }

    public Set<String> routes() {
        return entries.keySet();
    }

    public Set<String> pushRoutes() {
        return pushRoutes;
    }

    public List<Filter> filters() {
        return filters;
    }

    /** Route to the JSON field naming its room, for the routes placed by room ({@link Handlers#placeByRoom}). */
    public Map<String, String> roomKeys() {
        return roomKeys;
    }
}
