package io.switchboard.registry.zookeeper;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import io.switchboard.registry.RegistrationListener;
import io.switchboard.registry.spi.NodeInfoChanges;
import io.switchboard.registry.spi.RegistrationListeners;

import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/** A node registered through a {@link ZooKeeperRegistry}; the registry does the ZooKeeper work. */
final class ZooKeeperRegistration implements Registration {

    private final ZooKeeperRegistry registry;
    private final RegistrationListeners listeners = new RegistrationListeners();
    private volatile NodeInfo info;
    private volatile boolean registered = true;
    // Set on Curator's connection-state thread, cleared on the registry's writer thread; the changes and their
    // listener calls hold lossLock, so onLost and onRestored alternate.
    private volatile boolean lost;
    private final Object lossLock = new Object();

    ZooKeeperRegistration(ZooKeeperRegistry registry, NodeInfo info) {
        this.registry = registry;
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
        if (!registered) {
            return CompletableFuture.failedFuture(new SwitchboardException(registry.closedOrNotRegistered(),
                    info.id() + " is not registered any more"));
        }
        synchronized (this) {
            info = NodeInfoChanges.apply(info, change);
        }
        return registry.publish(this);
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
        synchronized (this) {
            if (!registered) {
                return CompletableFuture.completedFuture(null);
            }
            registered = false;
        }
        return registry.deregister(this);
    }

    boolean isLost() {
        return lost;
    }

    void markDeregistered() {
        registered = false;
    }

    void markLost() {
        synchronized (lossLock) {
            if (!lost && registered) {
                lost = true;
                listeners.fire(listener -> listener.onLost(this));
            }
        }
    }

    /** Takes the node id a restore claimed and returns the record to publish. */
    synchronized NodeInfo assignNodeId(int nodeId) {
        info = info.withNodeId(nodeId);
        return info;
    }

    void restored(int previousNodeId) {
        int nodeId = nodeId();
        if (nodeId != previousNodeId) {
            listeners.fire(listener -> listener.onNodeIdChanged(this, previousNodeId, nodeId));
        }
        synchronized (lossLock) {
            if (lost) {
                lost = false;
                listeners.fire(listener -> listener.onRestored(this));
            }
        }
    }

    @Override
    public String toString() {
        return "ZooKeeperRegistration(" + info.id() + " #" + info.nodeId() + (lost ? ", lost" : "") + ")";
    }
}
