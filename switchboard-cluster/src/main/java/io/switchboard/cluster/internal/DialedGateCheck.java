package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;

import java.util.Optional;

/**
 * A node's check of the gate it dialed: the registry still lists that gate, at the address dialed, with the node id
 * its HELLO gave.
 */
public final class DialedGateCheck implements PeerCheck {
    private final Registry registry;

    public DialedGateCheck(Registry registry) {
        this.registry = registry;
    }

    @Override
    public Optional<LinkCloseReason> refusal(Channel channel, LinkIdentity peer) {
        DialedPeer dialed = channel.attr(DialedPeer.KEY).get();
        boolean listed = dialed != null && NodeMetadata.GATE_TYPE.equals(peer.type())
                && registry.node(dialed.id()).filter(gate -> NodeMetadata.GATE_TYPE.equals(gate.type())
                        && gate.nodeId() == peer.nodeId()
                        && gate.address(NodeInfo.CLUSTER_ADDRESS).filter(dialed.address()::equals).isPresent())
                .isPresent();
        return listed ? Optional.empty() : Optional.of(LinkCloseReason.PEER_UNKNOWN);
    }
}
