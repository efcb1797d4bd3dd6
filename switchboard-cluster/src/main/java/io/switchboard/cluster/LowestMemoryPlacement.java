package io.switchboard.cluster;

import io.switchboard.api.errors.ClusterErrors;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;

import java.util.Comparator;
import java.util.List;

/**
 * Seed 001's rule: the node with the lowest memory use (as published in its {@link io.switchboard.registry.Load});
 * ties go to fewer sessions, then the lower node id, so every gate makes the same choice from the same view. When
 * every node is above the limit (90% by default) the session is refused with {@link ClusterErrors#NODES_OVERLOADED}.
 */
public final class LowestMemoryPlacement implements PlacementPolicy {
    /** Seed 001's limit: refuse new sessions when every node uses more than 90% of its memory. */
    public static final double DEFAULT_LIMIT = 0.9;

    private static final Comparator<NodeInfo> ORDER = Comparator
            .comparingDouble((NodeInfo n) -> n.load().memoryUsedRatio())
            .thenComparingInt(n -> n.load().sessions())
            .thenComparingInt(NodeInfo::nodeId);

    private final double limit;

    public LowestMemoryPlacement() {
        this(DEFAULT_LIMIT);
    }

    /** @param limit memory-use ratio above which a node takes no new sessions, within 0..1 */
    public LowestMemoryPlacement(double limit) {
        if (!(limit >= 0 && limit <= 1)) {
            throw new IllegalArgumentException("limit must be within 0..1: " + limit);
        }
        this.limit = limit;
    }

    @Override
    public NodeInfo choose(String serviceType, List<NodeInfo> candidates) {
        if (candidates.isEmpty()) {
            throw new SwitchboardException(ClusterErrors.NO_NODE, "no node serves '" + serviceType + "'");
        }
        return candidates.stream()
                .filter(n -> n.load().memoryUsedRatio() <= limit)
                .min(ORDER)
                .orElseThrow(() -> new SwitchboardException(ClusterErrors.NODES_OVERLOADED,
                        "every node of '" + serviceType + "' uses more than " + Math.round(limit * 100)
                                + "% of its memory"));
    }
}
