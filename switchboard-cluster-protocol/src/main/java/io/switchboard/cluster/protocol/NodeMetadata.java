package io.switchboard.cluster.protocol;

import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What cluster processes publish about themselves in the registry beyond their addresses: the gates' type, a
 * node's readiness, and the routes and room keys a node serves, from which gates build their route dictionary
 * and room placement, so a route is declared once, on the node that serves it.
 */
public final class NodeMetadata {
    /** The service type gates register under. */
    public static final String GATE_TYPE = "gate";
    /** "true" once a node has been linked to every gate (seed 002). */
    public static final String READY = "linkedAllGates";
    /** The routes a node serves and pushes, comma-separated. */
    public static final String ROUTES = "routes";
    /** The node's routes placed by room: {@code route=field} pairs, comma-separated. */
    public static final String ROOM_KEYS = "roomKeys";
    private static final String LIST_SEPARATOR = ",";
    private static final String PAIR_SEPARATOR = "=";

    private NodeMetadata() {
    }

    public static String routes(Collection<String> routes) {
        return String.join(LIST_SEPARATOR, routes);
    }

    /** The routes of {@link #ROUTES}'s value; empty for none or {@code null}. */
    public static Set<String> parseRoutes(String value) {
        if (value == null || value.isEmpty()) {
            return Set.of();
        }
        return Arrays.stream(value.split(LIST_SEPARATOR)).filter(s -> !s.isEmpty())
                .collect(Collectors.toCollection(LinkedHashSet::new));
    }

    public static String roomKeys(Map<String, String> routeToField) {
        return routeToField.entrySet().stream().map(e -> e.getKey() + PAIR_SEPARATOR + e.getValue())
                .collect(Collectors.joining(LIST_SEPARATOR));
    }

    /** Route to field of {@link #ROOM_KEYS}'s value; pairs without a field are skipped. */
    public static Map<String, String> parseRoomKeys(String value) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : parseRoutes(value)) {
            int eq = pair.indexOf(PAIR_SEPARATOR);
            if (eq > 0 && eq < pair.length() - 1) {
                keys.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        return keys;
    }
}
