package io.switchboard.registry;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The cluster's list of live nodes: each process registers itself and watches the others.
 *
 * <p>Reads ({@link #nodes()}, {@link #node(String)}) come from a local view that the registry keeps current by
 * watching its store; with a remote store the view trails a write by the time the store takes to notify it, so a
 * node may not see its own registration in {@link #nodes()} the instant {@link #register} completes.
 *
 * <p>Implementations are thread-safe. Open one with {@link Registries#open(String)} or construct it directly.
 */
public interface Registry extends AutoCloseable {

    /**
     * Registers a node and assigns it the lowest node id no live node holds (0 to 1022, see
     * {@link NodeInfo#MAX_NODES}); the {@link NodeInfo#nodeId()} of {@code info} is ignored. The future fails with a
     * {@link io.switchboard.common.error.SwitchboardException} of {@link RegistryErrors#NODE_IDS_EXHAUSTED} when
     * {@value NodeInfo#MAX_NODES} nodes are live already, {@link RegistryErrors#DUPLICATE_NODE} when a live node has
     * the same {@linkplain NodeInfo#id() id}, {@link RegistryErrors#REGISTRY_UNAVAILABLE} when the store cannot be
     * reached.
     */
    CompletableFuture<Registration> register(NodeInfo info);

    /** The live nodes, ordered by node id. */
    List<NodeInfo> nodes();

    /** The live nodes of one service type, ordered by node id. */
    default List<NodeInfo> nodes(String type) {
        return nodes().stream().filter(node -> node.type().equals(type)).toList();
    }

    /** The live node with the given process id. */
    default Optional<NodeInfo> node(String id) {
        return nodes().stream().filter(node -> node.id().equals(id)).findFirst();
    }

    /**
     * Watches the node list. The listener first gets an {@link RegistryEvent.Type#ADDED} event for every node
     * already live (the snapshot), then every change as it happens, with no gap and no repeat between the two. It
     * runs on the registry's event thread, one call at a time.
     */
    Subscription watch(RegistryListener listener);

    /**
     * Like {@link #watch(RegistryListener)}, with the listener run on {@code executor}. Calls still never overlap,
     * even on a pool of many threads. A direct executor ({@code Runnable::run}) runs the listener on the thread that
     * made the change, possibly while the registry holds a lock: fine for short listeners and for tests.
     */
    Subscription watch(RegistryListener listener, Executor executor);

    /**
     * Deregisters the nodes registered through this registry, stops every watch and releases the connection. The
     * registrations made through it fail with {@link RegistryErrors#REGISTRY_CLOSED} afterwards. Idempotent.
     */
    @Override
    void close();
}
