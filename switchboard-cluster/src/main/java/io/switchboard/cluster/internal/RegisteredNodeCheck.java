package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.registry.Registry;

import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * The gate's check of a node that dialed it: the registry lists a service node with that node id and type, and no
 * live link holds that node id already (a second link is refused, not swapped in; a dead one does not count).
 */
public final class RegisteredNodeCheck implements PeerCheck {
    private final Registry registry;
    private final IntPredicate linked;

    /** @param linked whether a node id has a live link to this gate */
    public RegisteredNodeCheck(Registry registry, IntPredicate linked) {
        this.registry = registry;
        this.linked = linked;
    }

    @Override
    public Optional<LinkCloseReason> refusal(Channel channel, LinkIdentity peer) {
        boolean listed = !NodeMetadata.GATE_TYPE.equals(peer.type()) && registry.nodes().stream()
                .anyMatch(node -> node.nodeId() == peer.nodeId() && node.type().equals(peer.type()));
        if (!listed) {
            return Optional.of(LinkCloseReason.PEER_UNKNOWN);
        }
        return linked.test(peer.nodeId()) ? Optional.of(LinkCloseReason.DUPLICATE_LINK) : Optional.empty();
    }
}
