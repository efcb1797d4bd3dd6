package io.switchboard.handler;

import io.switchboard.handler.internal.AnnotatedHandlers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routes a server serves and the filters around them. Fill it before the server starts; it is read
 * concurrently afterwards and must not change then.
 */
public final class Handlers {
    private static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

    private final Map<String, Entry> entries = new LinkedHashMap<>();
    private final List<Filter> filters = new ArrayList<>();
    private final Set<String> pushRoutes = new LinkedHashSet<>();

    /**
     * A registered route: a request handler (which also takes notifies) or a notify-only handler; {@code nonBlocking}
     * lets the gate run it on the connection's I/O thread (see {@link Route#nonBlocking()}).
     */
    public record Entry(String route, RequestHandler requestHandler, NotifyHandler notifyHandler,
                        boolean nonBlocking) {
        /** An entry whose handler runs on the worker pool. */
        public Entry(String route, RequestHandler requestHandler, NotifyHandler notifyHandler) {
            this(route, requestHandler, notifyHandler, false);
        }

        public boolean takesRequests() {
            return requestHandler != null;
        }
    }

    public Handlers request(String route, RequestHandler handler) {
        return put(new Entry(checkRoute(route), Objects.requireNonNull(handler, "handler"), null, false));
    }

    public Handlers notify(String route, NotifyHandler handler) {
        return put(new Entry(checkRoute(route), null, Objects.requireNonNull(handler, "handler"), false));
    }

    /**
     * A request handler that never blocks: the gate may run it, and the filters, on the connection's I/O thread
     * (opt-in; see {@link Route#nonBlocking()} for what that means and what it keeps).
     */
    public Handlers requestNonBlocking(String route, RequestHandler handler) {
        return put(new Entry(checkRoute(route), Objects.requireNonNull(handler, "handler"), null, true));
    }

    /** A notify handler that never blocks, run on the I/O thread like {@link #requestNonBlocking}. */
    public Handlers notifyNonBlocking(String route, NotifyHandler handler) {
        return put(new Entry(checkRoute(route), null, Objects.requireNonNull(handler, "handler"), true));
    }

    /** Registers every {@link Route} method of a {@link Handler}-annotated object. */
    public Handlers register(Object annotatedHandler) {
        AnnotatedHandlers.scan(annotatedHandler).forEach(entry -> put(new Entry(checkRoute(entry.route()),
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

    public Entry lookup(String route) {
        return entries.get(route);
    }

    public Set<String> routes() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Set<String> pushRoutes() {
        return Collections.unmodifiableSet(pushRoutes);
    }

    public List<Filter> filters() {
        return Collections.unmodifiableList(filters);
    }

    /** Whether a string has the {@code service.handler.method} form. */
    public static boolean isValidRoute(String route) {
        return route != null && ROUTE.matcher(route).matches();
    }

    private Handlers put(Entry entry) {
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
