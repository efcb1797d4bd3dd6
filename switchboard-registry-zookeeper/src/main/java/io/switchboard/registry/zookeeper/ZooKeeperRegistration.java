package io.switchboard.registry.zookeeper;

import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.spi.RegistrationBase;

import java.util.concurrent.CompletableFuture;

/**
 * A node registered through a {@link ZooKeeperRegistry}; the registry does the ZooKeeper work on its writer thread.
 * Its lock is its own monitor: the steps only queue writes, so no registry state changes under it.
 */
final class ZooKeeperRegistration extends RegistrationBase {

    private final ZooKeeperRegistry registry;

    ZooKeeperRegistration(ZooKeeperRegistry registry, NodeInfo info) {
        super(info);
        this.registry = registry;
    }

    @Override
    protected CompletableFuture<NodeInfo> publish(NodeInfo info) {
        return registry.publish(this); // coalesces, and writes whatever info() is when its turn comes
    }

    @Override
    protected CompletableFuture<Void> remove() {
        return registry.deregister(this);
    }

    @Override
    protected boolean registryClosed() {
        return registry.isClosed();
    }

    /** Takes the node id a restore claimed and returns the record to publish. */
    NodeInfo assignNodeId(int nodeId) {
        return changeInfo(info -> info.withNodeId(nodeId));
    }
}
