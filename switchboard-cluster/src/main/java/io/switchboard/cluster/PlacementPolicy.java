package io.switchboard.cluster;

import io.switchboard.registry.NodeInfo;

import java.util.List;

/**
 * Chooses the node of a service type that takes a new session (seed 001). A gate asks once per session and
 * service type; afterwards the session is sticky to the chosen node while that node's link is up.
 */
@FunctionalInterface
public interface PlacementPolicy {

    /**
     * @param serviceType the route's service
     * @param candidates  the serving nodes of that type that are linked to this gate and to every other gate;
     *                    may be empty
     * @return the chosen node, one of {@code candidates}
     * @throws io.switchboard.common.error.SwitchboardException to refuse, e.g. with
     *         {@link ClusterErrors#NO_NODE} or {@link ClusterErrors#NODES_OVERLOADED}
     */
    NodeInfo choose(String serviceType, List<NodeInfo> candidates);
}
