package io.switchboard.cluster.internal;

import io.switchboard.cluster.PlacementKey;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.protocol.MessageFlags;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.registry.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * What a gate learns from the service nodes' registry entries: the routes they serve and push, for the route
 * dictionary new clients get, and the routes they place by room, for {@link Placement}. Followed as nodes come and
 * go, so no route is declared on the gate as well as on the node that serves it.
 */
public final class NodeRoutes implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(NodeRoutes.class);

    private final Registry registry;
    private final Set<String> localRoutes;
    private final Map<String, PlacementKey> keyCache = new HashMap<>();
    private volatile Map<String, PlacementKey> placementKeys = Map.of();
    private volatile RouteDictionary dictionary;
    private Consumer<RouteDictionary> onDictionary = d -> { };
    private Subscription subscription;

    /** {@code localRoutes}: the routes the gate serves and pushes itself. */
    public NodeRoutes(Registry registry, Set<String> localRoutes) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.localRoutes = Set.copyOf(localRoutes);
        refresh();
    }

    /** Follows the registry from now on, handing every changed dictionary to {@code onDictionary}. */
    public synchronized void follow(Consumer<RouteDictionary> onDictionary) {
        this.onDictionary = Objects.requireNonNull(onDictionary, "onDictionary");
        subscription = registry.watch(event -> refresh());
        refresh();
    }

    /** The dictionary of the gate's and every node's routes. */
    public RouteDictionary dictionary() {
        return dictionary;
    }

    /** The placement key of {@code route}, or {@code null} when no node places it by room. */
    public PlacementKey placementKey(String route) {
        return placementKeys.get(route);
    }

    synchronized void refresh() {
        Set<String> routes = new TreeSet<>(localRoutes);
        Map<String, PlacementKey> keys = new HashMap<>();
        for (NodeInfo node : registry.nodes()) {
            if (NodeMetadata.GATE_TYPE.equals(node.type())) {
                continue;
            }
            for (String route : NodeMetadata.parseRoutes(node.metadata().get(NodeMetadata.ROUTES))) {
                if (isDictionaryRoute(route)) {
                    routes.add(route);
                } else {
                    log.warn("node {} publishes a route no dictionary can hold; skipped", node.id());
                }
            }
            NodeMetadata.parseRoomKeys(node.metadata().get(NodeMetadata.ROOM_KEYS)).forEach((route, field) -> {
                PlacementKey key = keyCache.computeIfAbsent(route + "=" + field, k -> PlacementKey.jsonField(field));
                PlacementKey before = keys.putIfAbsent(route, key);
                if (before != null && before != key) {
                    log.warn("nodes disagree on the room field of {}; keeping the first", route);
                }
            });
        }
        placementKeys = Map.copyOf(keys);
        RouteDictionary next = RouteDictionary.of(FrameworkRoutes.CODES, routes);
        if (dictionary == null || !dictionary.version().equals(next.version())) {
            dictionary = next;
            onDictionary.accept(next);
        }
    }

    private static boolean isDictionaryRoute(String route) {
        int length = route.getBytes(StandardCharsets.UTF_8).length;
        return length > 0 && length <= MessageFlags.MAX_ROUTE_LENGTH;
    }

    @Override
    public synchronized void close() {
        if (subscription != null) {
            subscription.close();
        }
    }
}
