package io.switchboard.registry.spi;

import io.switchboard.registry.NodeInfo;

import java.util.Objects;
import java.util.function.UnaryOperator;

/** The rule of {@link io.switchboard.registry.Registration#update}: what a node may change about itself. */
public final class NodeInfoChanges {

    private NodeInfoChanges() {
    }

    /**
     * Applies {@code change} to the published record. Identity (id, type, version) is fixed for the life of a
     * registration because other nodes key on it; the node id belongs to the registry.
     */
    public static NodeInfo apply(NodeInfo current, UnaryOperator<NodeInfo> change) {
        NodeInfo next = Objects.requireNonNull(change.apply(current), "the update returned null");
        if (!next.id().equals(current.id()) || !next.type().equals(current.type())
                || next.version() != current.version()) {
            throw new IllegalArgumentException("an update may not change id, type or version: "
                    + current.id() + "/" + current.type() + "/v" + current.version() + " -> "
                    + next.id() + "/" + next.type() + "/v" + next.version());
        }
        return next.nodeId() == current.nodeId() ? next : next.withNodeId(current.nodeId());
    }
}
