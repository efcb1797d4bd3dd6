package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.NodeMetadata;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.api.errors.RoomErrors;
import io.switchboard.rooms.RoomRegistry;
import io.switchboard.cluster.PlacementKey;
import io.switchboard.cluster.PlacementPolicy;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;

import java.util.Map;
import java.util.TreeMap;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Chooses the node that takes a client message. A message with a placement key (a room id) goes to the key's owner
 * and pins the session's service there (its previous node is told the session left); any other goes to the node
 * pinned for the session's service while that node is linked, else to the {@link PlacementPolicy}'s choice, which
 * is pinned from then on.
 */
final class Placement {
    private final Registry registry;
    private final LinkTable links;
    private final PlacementPolicy policy;
    /** The placement key of a route, or {@code null} for routes placed by session. */
    private final Function<String, PlacementKey> placementKeys;
    private final KeyOwners owners;
    private final ClosedNotices closed;

    Placement(Registry registry, LinkTable links, PlacementPolicy policy, Function<String, PlacementKey> placementKeys,
              KeyOwners owners, ClosedNotices closed) {
        this.registry = registry;
        this.links = links;
        this.policy = policy;
        this.placementKeys = placementKeys;
        this.owners = owners;
        this.closed = closed;
    }

    /** The link of the node that takes this message; refused with a {@link ClusterErrors} code when none can. */
    Link place(RoutedSession session, String service, String route, byte[] body) {
        Integer pinned = session.node(service);
        PlacementKey keyOf = placementKeys.apply(route);
        String key = keyOf == null ? null : keyOf.of(route, body);
        if (key != null) {
            if (key.length() > RoomRegistry.MAX_ID_LENGTH) {
                // Client input: refused before it is hashed, remembered or sent to a node.
                throw new SwitchboardException(RoomErrors.BAD_ROOM_ID,
                        "room ids are at most " + RoomRegistry.MAX_ID_LENGTH + " characters");
            }
            Link owner = keyOwner(service, key);
            if (pinned != null && pinned != owner.peerNodeId()) {
                // The session moves: its old node must forget it (and, say, take it out of its room).
                closed.send(session.session().id(), pinned);
            }
            session.pin(service, owner.peerNodeId());
            return owner;
        }
        Link link = pinned == null ? null : links.active(pinned);
        if (link != null) {
            return link;
        }
        NodeInfo chosen = policy.choose(service, candidates(service));
        link = linkOf(chosen);
        session.pin(service, chosen.nodeId());
        return link;
    }

    /** The node's keys are forgotten with its link. */
    void nodeLost(int nodeId) {
        owners.forget(nodeId);
    }

    private Link keyOwner(String service, String key) {
        Integer remembered = owners.remembered(service, key);
        Link link = remembered == null ? null : links.active(remembered);
        if (link != null) {
            return link;
        }
        NodeInfo best = KeyOwners.choose(key, candidates(service));
        if (best == null) {
            throw new SwitchboardException(ClusterErrors.NO_NODE, "no node serves '" + service + "'");
        }
        link = linkOf(best);
        owners.remember(service, key, best.nodeId());
        return link;
    }

    private Link linkOf(NodeInfo node) {
        Link link = links.active(node.nodeId());
        if (link == null) {
            throw new SwitchboardException(ClusterErrors.NODE_UNREACHABLE, "node " + node.id() + " is not linked");
        }
        return link;
    }

    /** For each service type in the registry, how many of its nodes this gate would place sessions on now. */
    public Map<String, Integer> placeable() {
        Map<String, Integer> counts = new TreeMap<>();
        for (NodeInfo node : registry.nodes()) {
            if (!NodeMetadata.GATE_TYPE.equals(node.type())) {
                counts.merge(node.type(), isCandidate(node) ? 1 : 0, Integer::sum);
            }
        }
        return counts;
    }

    /** Serving nodes of the service that are linked to every gate and to this one. */
    private List<NodeInfo> candidates(String service) {
        List<NodeInfo> candidates = new ArrayList<>();
        for (NodeInfo node : registry.nodes(service)) {
            if (isCandidate(node)) {
                candidates.add(node);
            }
        }
        return candidates;
    }

    private boolean isCandidate(NodeInfo node) {
        return node.isServing() && "true".equals(node.metadata().get(NodeMetadata.READY))
                && links.active(node.nodeId()) != null;
    }
}
