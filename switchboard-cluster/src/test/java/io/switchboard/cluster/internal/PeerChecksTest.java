package io.switchboard.cluster.internal;

import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Who the registry lets link: a gate checks the node that dialed it, a node the gate it dialed. */
class PeerChecksTest {
    private static final String GATE_ADDRESS = "127.0.0.1:10301";

    private final MemoryRegistry registry = new MemoryRegistry();
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final Set<Integer> linked = new HashSet<>();
    private final RegisteredNodeCheck gateSide = new RegisteredNodeCheck(registry, linked::contains);
    private final DialedGateCheck nodeSide = new DialedGateCheck(registry);

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        registry.close();
    }

    private int register(String id, String type) {
        return registry.register(NodeInfo.builder(id, type).address(NodeInfo.CLUSTER_ADDRESS, GATE_ADDRESS).build())
                .join().nodeId();
    }

    @Test
    void aGateAdmitsARegisteredNodeOfTheTypeItClaims() {
        int demo = register("demo-1", "demo");

        assertThat(gateSide.refusal(channel, new LinkIdentity(demo, "demo"))).isEmpty();
        assertThat(gateSide.refusal(channel, new LinkIdentity(demo, "chat")))
                .contains(LinkCloseReason.PEER_UNKNOWN);
        assertThat(gateSide.refusal(channel, new LinkIdentity(demo + 1, "demo")))
                .contains(LinkCloseReason.PEER_UNKNOWN);
    }

    @Test
    void aGateAdmitsNoGateAndNoSecondLinkForALiveNode() {
        int gate = register("gate-1", NodeMetadata.GATE_TYPE);
        int demo = register("demo-1", "demo");
        linked.add(demo);

        assertThat(gateSide.refusal(channel, new LinkIdentity(gate, NodeMetadata.GATE_TYPE)))
                .contains(LinkCloseReason.PEER_UNKNOWN);
        assertThat(gateSide.refusal(channel, new LinkIdentity(demo, "demo")))
                .contains(LinkCloseReason.DUPLICATE_LINK);
    }

    @Test
    void aNodeAdmitsOnlyTheGateItDialedAsTheRegistryListsIt() {
        int gate = register("gate-1", NodeMetadata.GATE_TYPE);
        int other = register("gate-2", NodeMetadata.GATE_TYPE);
        LinkIdentity dialedGate = new LinkIdentity(gate, NodeMetadata.GATE_TYPE);
        assertThat(nodeSide.refusal(channel, dialedGate)).as("not dialed").contains(LinkCloseReason.PEER_UNKNOWN);

        channel.attr(DialedPeer.KEY).set(new DialedPeer("gate-1", "127.0.0.1", 10301));
        assertThat(nodeSide.refusal(channel, dialedGate)).isEqualTo(Optional.empty());
        assertThat(nodeSide.refusal(channel, new LinkIdentity(other, NodeMetadata.GATE_TYPE)))
                .as("another gate answered").contains(LinkCloseReason.PEER_UNKNOWN);
        assertThat(nodeSide.refusal(channel, new LinkIdentity(gate, "demo"))).contains(LinkCloseReason.PEER_UNKNOWN);

        channel.attr(DialedPeer.KEY).set(new DialedPeer("gate-1", "127.0.0.1", 10302));
        assertThat(nodeSide.refusal(channel, dialedGate)).as("listed elsewhere").contains(LinkCloseReason.PEER_UNKNOWN);
    }
}
