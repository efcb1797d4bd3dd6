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

    /** A registered route: a request handler (which also takes notifies) or a notify-only handler. */
    public record Entry(String route, RequestHandler requestHandler, NotifyHandler notifyHandler) {
        public boolean takesRequests() {
            return requestHandler != null;
        }
    }

    public Handlers request(String route, RequestHandler handler) {
        return put(new Entry(checkRoute(route), Objects.requireNonNull(handler, "handler"), null));
    }

    public Handlers notify(String route, NotifyHandler handler) {
        return put(new Entry(checkRoute(route), null, Objects.requireNonNull(handler, "handler")));
    }

    /** Registers every {@link Route} method of a {@link Handler}-annotated object. */
    public Handlers register(Object annotatedHandler) {
        AnnotatedHandlers.scan(annotatedHandler).forEach(entry -> put(new Entry(checkRoute(entry.route()),
                entry.requestHandler(), entry.notifyHandler())));
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
