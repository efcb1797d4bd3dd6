package io.switchboard.registry.spi;

import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryListener;
import io.switchboard.registry.Subscription;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;

/**
 * The reading half every {@link Registry} here shares, whatever its store: the nodes as its {@link NodeTable} holds
 * them, and watches of that table run on the registry's own event threads unless the caller gives an executor.
 * Implementations fill the table from their store and release {@link #events} when they close.
 */
public abstract class TableRegistry implements Registry {
    protected final NodeTable table = new NodeTable();
    protected final ExecutorService events;

    protected TableRegistry(String eventThreadName) {
        this.events = EventThreads.newEventExecutor(eventThreadName);
    }

    @Override
    public final List<NodeInfo> nodes() {
        return table.nodes();
    }

    @Override
    public final Optional<NodeInfo> node(String id) {
        return table.get(id);
    }

    @Override
    public final Subscription watch(RegistryListener listener) {
        return watch(listener, events);
    }

    @Override
    public final Subscription watch(RegistryListener listener, Executor executor) {
        return table.watch(Objects.requireNonNull(listener, "listener"), Objects.requireNonNull(executor, "executor"));
    }
}
