package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.spi.TableRegistry;
import io.switchboard.registry.spi.NodeInfoChanges;
import io.switchboard.registry.spi.RegistrationListeners;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A registry that lives in one JVM: standalone mode, where gate and services share a process, and tests. Every
 * operation completes before it returns; node ids are the lowest free ones, so a freed id is reused first.
 *
 * <p>Share one instance between everything in the JVM that should see the same cluster.
 */
public final class MemoryRegistry extends TableRegistry {

    private final int maxNodes;
    private final BitSet usedNodeIds = new BitSet();
    private final Map<String, MemoryRegistration> registrations = new HashMap<>();
    private boolean closed;

    public MemoryRegistry() {
        this(NodeInfo.MAX_NODES);
    }

    /** A registry with fewer node ids than the real limit, so tests can reach it cheaply. */
    MemoryRegistry(int maxNodes) {
        super("switchboard-registry-events");
        if (maxNodes < 1 || maxNodes > NodeInfo.MAX_NODES) {
            throw new IllegalArgumentException("maxNodes must be within 1.." + NodeInfo.MAX_NODES + ": " + maxNodes);
        }
        this.maxNodes = maxNodes;
    }

    @Override
    public synchronized CompletableFuture<Registration> register(NodeInfo info) {
        Objects.requireNonNull(info, "info");
        if (closed) {
            return failed(RegistryErrors.REGISTRY_CLOSED, "the registry is closed; cannot register " + info.id());
        }
        if (registrations.containsKey(info.id())) {
            return failed(RegistryErrors.DUPLICATE_NODE, "a live node is already registered with id " + info.id());
        }
        int nodeId = usedNodeIds.nextClearBit(0);
        if (nodeId >= maxNodes) {
            return failed(RegistryErrors.NODE_IDS_EXHAUSTED,
                    "all " + maxNodes + " node ids are in use; node " + info.id() + " cannot join");
        }
        usedNodeIds.set(nodeId);
        MemoryRegistration registration = new MemoryRegistration(info.withNodeId(nodeId));
        registrations.put(info.id(), registration);
        table.put(registration.info);
        return CompletableFuture.completedFuture(registration);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (MemoryRegistration registration : new ArrayList<>(registrations.values())) {
                registration.registered = false;
            }
            registrations.clear();
            usedNodeIds.clear();
        }
        table.close();
        events.shutdown();
    }

    private static <T> CompletableFuture<T> failed(ErrorCode code, String message) {
        return CompletableFuture.failedFuture(new SwitchboardException(code, message));
    }

    private final class MemoryRegistration implements Registration {
        private final RegistrationListeners listeners = new RegistrationListeners();
        private volatile NodeInfo info;
        private volatile boolean registered = true;

        MemoryRegistration(NodeInfo info) {
            this.info = info;
        }

        @Override
        public int nodeId() {
            return info.nodeId();
        }

        @Override
        public NodeInfo info() {
            return info;
        }

        @Override
        public CompletableFuture<NodeInfo> update(UnaryOperator<NodeInfo> change) {
            synchronized (MemoryRegistry.this) {
                if (!registered) {
                    return closed
                            ? failed(RegistryErrors.REGISTRY_CLOSED, "the registry is closed")
                            : failed(RegistryErrors.NOT_REGISTERED, info.id() + " was deregistered");
                }
                info = NodeInfoChanges.apply(info, change);
                table.put(info);
                return CompletableFuture.completedFuture(info);
            }
        }

        @Override
        public boolean isRegistered() {
            return registered;
        }

        @Override
        public void addListener(RegistrationListener listener) {
            listeners.add(listener);
        }

        @Override
        public void removeListener(RegistrationListener listener) {
            listeners.remove(listener);
        }

        @Override
        public CompletableFuture<Void> deregister() {
            synchronized (MemoryRegistry.this) {
                if (registered) {
                    registered = false;
                    registrations.remove(info.id());
                    usedNodeIds.clear(info.nodeId());
                    table.remove(info.id());
                }
            }
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String toString() {
            return "MemoryRegistration(" + info.id() + " #" + info.nodeId() + ")";
        }
    }
}
