package io.switchboard.registry.spi;

import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.RegistryEvent;
import io.switchboard.registry.RegistryListener;
import io.switchboard.registry.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * A registry's local view of the live nodes and the watches on it. Implementations feed it what their store
 * says ({@link #put}, {@link #remove}); it works out ADDED, UPDATED and REMOVED and hands each watch its events in
 * order, starting with a snapshot.
 */
public final class NodeTable {

    private static final Logger logger = LoggerFactory.getLogger(NodeTable.class);
    private static final Comparator<NodeInfo> BY_NODE_ID =
            Comparator.comparingInt(NodeInfo::nodeId).thenComparing(NodeInfo::id);

    private final Map<String, NodeInfo> nodes = new HashMap<>();
    private final List<Watch> watches = new ArrayList<>();
    private boolean closed;

    /** Records the current record of a node; announces it as ADDED or UPDATED unless nothing changed. */
    public void put(NodeInfo node) {
        List<Watch> notified;
        synchronized (this) {
            if (closed) {
                return;
            }
            NodeInfo previous = nodes.put(node.id(), node);
            if (node.equals(previous)) {
                return;
            }
            notified = enqueue(previous == null ? RegistryEvent.added(node) : RegistryEvent.updated(node));
        }
        flush(notified);
    }

    /** Forgets a node; announces it as REMOVED if it was known. */
    public void remove(String id) {
        List<Watch> notified;
        synchronized (this) {
            if (closed) {
                return;
            }
            NodeInfo previous = nodes.remove(id);
            if (previous == null) {
                return;
            }
            notified = enqueue(RegistryEvent.removed(previous));
        }
        flush(notified);
    }

    /** The live nodes ordered by node id. */
    public synchronized List<NodeInfo> nodes() {
        List<NodeInfo> list = new ArrayList<>(nodes.values());
        list.sort(BY_NODE_ID);
        return List.copyOf(list);
    }

    public synchronized Optional<NodeInfo> get(String id) {
        return Optional.ofNullable(nodes.get(id));
    }

    /** Starts a watch: a snapshot of ADDED events, then every change, delivered one at a time on {@code executor}. */
    public Subscription watch(RegistryListener listener, Executor executor) {
        Watch watch = new Watch(listener, new ListenerQueue(executor));
        synchronized (this) {
            if (closed) {
                watch.closed = true;
                return watch;
            }
            // Snapshot and registration under one lock: no change can fall between them or appear in both.
            for (NodeInfo node : nodes()) {
                watch.enqueue(RegistryEvent.added(node));
            }
            watches.add(watch);
        }
        watch.executor.flush();
        return watch;
    }

    /** Ends every watch and stops announcing changes. */
    public void close() {
        synchronized (this) {
            closed = true;
            for (Watch watch : watches) {
                watch.closed = true;
            }
            watches.clear();
            nodes.clear();
        }
    }

    private List<Watch> enqueue(RegistryEvent event) {
        for (Watch watch : watches) {
            watch.enqueue(event);
        }
        return List.copyOf(watches);
    }

    // Outside the lock, so listeners on a direct executor never run while the table is locked.
    private static void flush(List<Watch> notified) {
        for (Watch watch : notified) {
            watch.executor.flush();
        }
    }

    private synchronized void unwatch(Watch watch) {
        watches.remove(watch);
    }

    private final class Watch implements Subscription {
        private final RegistryListener listener;
        private final ListenerQueue executor;
        private volatile boolean closed;

        Watch(RegistryListener listener, ListenerQueue executor) {
            this.listener = listener;
            this.executor = executor;
        }

        void enqueue(RegistryEvent event) {
            executor.add(() -> {
                if (closed) {
                    return;
                }
                try {
                    listener.onEvent(event);
                } catch (RuntimeException e) {
                    logger.warn("Registry listener {} failed on {}", listener, event, e);
                }
            });
        }

        @Override
        public void close() {
            closed = true;
            unwatch(this);
        }
    }
}
