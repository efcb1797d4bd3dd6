package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.spi.RegistrationBase;
import io.switchboard.registry.spi.TableRegistry;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

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
        table.put(registration.info());
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
                registration.markDeregistered();
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

    /** The registry's lock guards it: its node-id table and map change along with its flag and record. */
    private final class MemoryRegistration extends RegistrationBase {

        MemoryRegistration(NodeInfo info) {
            super(info, MemoryRegistry.this);
        }

        @Override
        protected CompletableFuture<NodeInfo> publish(NodeInfo info) {
            table.put(info);
            return CompletableFuture.completedFuture(info);
        }

        @Override
        protected CompletableFuture<Void> remove() {
            NodeInfo info = info();
            registrations.remove(info.id());
            usedNodeIds.clear(info.nodeId());
            table.remove(info.id());
            return CompletableFuture.completedFuture(null);
        }

        @Override
        protected boolean registryClosed() {
            return closed;
        }
    }
}
