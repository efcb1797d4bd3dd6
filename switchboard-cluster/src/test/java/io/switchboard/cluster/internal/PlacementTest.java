package io.switchboard.cluster.internal;

import io.switchboard.api.errors.RoomErrors;
import io.switchboard.rooms.RoomRegistry;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LowestMemoryPlacement;
import io.switchboard.cluster.PlacementKey;
import io.switchboard.cluster.PlacementPolicy;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.NodeState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Choosing a client message's node: sticky per session and service, rendezvous-hashed per room key. */
class PlacementTest {
    private static final String SERVICE = "demo";
    private static final String ECHO = "demo.echo.say";
    private static final String JOIN = "demo.room.join";
    private static final int SMALL_CAPACITY = 8;

    private final MemoryRegistry registry = new MemoryRegistry();
    private final TestLinks testLinks = new TestLinks();
    private final LinkTable links = new LinkTable();
    private final KeyOwners owners = new KeyOwners(SMALL_CAPACITY);
    private final AtomicInteger policyCalls = new AtomicInteger();
    private final PlacementPolicy policy = (service, candidates) -> {
        policyCalls.incrementAndGet();
        return new LowestMemoryPlacement().choose(service, candidates);
    };
    private final Placement placement = placement(owners);
    private final TestSession client = new TestSession(1);
    private final RoutedSession session = new RoutedSession(client);

    @AfterEach
    void tearDown() {
        client.close();
        testLinks.close();
        registry.close();
    }

    private Placement placement(KeyOwners keyOwners) {
        return new Placement(registry, links, policy, Map.of(JOIN, PlacementKey.jsonField("room"))::get, keyOwners,
                new ClosedNotices(() -> TestLinks.GATE_ID, links));
    }

    /** Registers a ready node of the service and links it; returns its link. */
    private Link node(String id) {
        return node(NodeInfo.builder(id, SERVICE).metadata(NodeMetadata.READY, "true").build());
    }

    private Link node(NodeInfo info) {
        int nodeId = registry.register(info).join().nodeId();
        Link link = testLinks.open(nodeId, SERVICE);
        links.up(link);
        return link;
    }

    private static byte[] join(String room) {
        return ("{\"room\":\"" + room + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    /** A room whose rendezvous owner among the registered candidates is {@code owner}. */
    private String roomOwnedBy(Link owner) {
        List<NodeInfo> nodes = registry.nodes(SERVICE);
        for (int i = 0; ; i++) {
            String room = "room-" + i;
            if (KeyOwners.choose(room, nodes).nodeId() == owner.peerNodeId()) {
                return room;
            }
        }
    }

    /** A room whose rendezvous hash prefers node {@code winner} to node {@code loser} (by registry id). */
    private static String roomWonBy(String winner, String loser) {
        for (int i = 0; ; i++) {
            String room = "room-" + i;
            if (Long.compareUnsigned(KeyOwners.rendezvous(room, winner), KeyOwners.rendezvous(room, loser)) > 0) {
                return room;
            }
        }
    }

    @Test
    void aSessionIsPlacedOnceThenStaysOnItsNode() {
        node("demo-1");
        node("demo-2");
        Link first = placement.place(session, SERVICE, ECHO, new byte[0]);
        for (int i = 0; i < 5; i++) {
            assertThat(placement.place(session, SERVICE, "demo.echo.tell", new byte[0])).isSameAs(first);
        }
        assertThat(policyCalls).as("the policy is asked once per session and service").hasValue(1);
        assertThat(session.node(SERVICE)).isEqualTo(first.peerNodeId());
        assertThat(client.attributes().isEmpty()).as("nothing of the router in the user's attributes").isTrue();
    }

    @Test
    void aSessionWhoseNodeIsNoLongerLinkedIsPlacedAgain() {
        Link a = node("demo-1");
        Link b = node("demo-2");
        Link first = placement.place(session, SERVICE, ECHO, new byte[0]);
        first.close(LinkCloseReason.PEER_CLOSED);
        Link second = placement.place(session, SERVICE, ECHO, new byte[0]);
        assertThat(second).isSameAs(first == a ? b : a);
        assertThat(session.node(SERVICE)).isEqualTo(second.peerNodeId());
    }

    @Test
    void onlyServingReadyLinkedNodesAreCandidates() {
        registry.register(NodeInfo.builder("demo-unready", SERVICE).build()).join();
        node(NodeInfo.builder("demo-draining", SERVICE).metadata(NodeMetadata.READY, "true")
                .state(NodeState.DRAINING).build());
        registry.register(NodeInfo.builder("demo-unlinked", SERVICE).metadata(NodeMetadata.READY, "true")
                .build()).join();
        assertThatThrownBy(() -> placement.place(session, SERVICE, ECHO, new byte[0]))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ClusterErrors.NO_NODE));
        assertThatThrownBy(() -> placement.place(session, SERVICE, JOIN, join("lobby")))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(ClusterErrors.NO_NODE));
        assertThat(session.node(SERVICE)).isNull();
    }

    @Test
    void aKeyGoesToItsRendezvousOwnerForEverySessionAndEveryGate() {
        node("demo-1");
        node("demo-2");
        node("demo-3");
        Placement otherGate = placement(new KeyOwners(SMALL_CAPACITY));
        for (int i = 0; i < 20; i++) {
            String room = "room-" + i;
            int expected = KeyOwners.choose(room, registry.nodes(SERVICE)).nodeId();
            RoutedSession other = new RoutedSession(new TestSession(100 + i));
            assertThat(placement.place(session, SERVICE, JOIN, join(room)).peerNodeId()).isEqualTo(expected);
            assertThat(placement.place(other, SERVICE, JOIN, join(room)).peerNodeId()).isEqualTo(expected);
            assertThat(otherGate.place(other, SERVICE, JOIN, join(room)).peerNodeId()).isEqualTo(expected);
        }
        assertThat(policyCalls).as("keyed messages skip the policy").hasValue(0);
    }

    @Test
    void aKeyedMessageMovesTheSessionAndTellsItsOldNode() {
        Link a = node("demo-1");
        Link b = node("demo-2");
        Link placed = placement.place(session, SERVICE, ECHO, new byte[0]);
        Link other = placed == a ? b : a;
        TestLinks.sent(placed);

        assertThat(placement.place(session, SERVICE, JOIN, join(roomOwnedBy(other)))).isSameAs(other);
        assertThat(TestLinks.sent(placed)).singleElement().satisfies(closed -> {
            assertThat(Envelopes.route(closed)).isEqualTo(SystemRoutes.SESSION_CLOSED);
            assertThat(Envelopes.sessionId(closed)).isEqualTo(client.id());
            assertThat(Envelopes.gateId(closed)).isEqualTo(TestLinks.GATE_ID);
        });
        assertThat(placement.place(session, SERVICE, ECHO, new byte[0])).as("sticky to the room's node")
                .isSameAs(other);
        assertThat(TestLinks.sent(other)).as("the new node is told nothing").isEmpty();
    }

    @Test
    void aRememberedKeyStaysOnItsNodeWhenANodeJoinsUntilThatNodeIsLost() {
        Link a = node("demo-1");
        String room = roomWonBy("demo-2", "demo-1");
        assertThat(placement.place(session, SERVICE, JOIN, join(room))).isSameAs(a);
        Link b = node("demo-2");
        assertThat(KeyOwners.choose(room, registry.nodes(SERVICE)).nodeId()).isEqualTo(b.peerNodeId());
        assertThat(placement.place(session, SERVICE, JOIN, join(room))).as("the room stays where it is")
                .isSameAs(a);

        a.close(LinkCloseReason.PEER_CLOSED);
        placement.nodeLost(a.peerNodeId());
        assertThat(placement.place(session, SERVICE, JOIN, join(room))).isSameAs(b);
    }

    @Test
    void rememberedKeysAreBoundedWhateverClientsSend() {
        node("demo-1");
        node("demo-2");
        int distinct = SMALL_CAPACITY * 100;
        for (int i = 0; i < distinct; i++) {
            String room = "room-" + i;
            assertThat(placement.place(session, SERVICE, JOIN, join(room)).peerNodeId())
                    .isEqualTo(KeyOwners.choose(room, registry.nodes(SERVICE)).nodeId());
        }
        assertThat(owners.size()).isEqualTo(SMALL_CAPACITY);

    }

    @Test
    void anOverlongRoomKeyIsRefusedBeforeItIsHashedOrHeld() {
        node("demo-1");
        String longest = "x".repeat(RoomRegistry.MAX_ID_LENGTH);
        assertThat(placement.place(session, SERVICE, JOIN, join(longest))).isNotNull();
        String tooLong = longest + "x";
        assertThatThrownBy(() -> placement.place(session, SERVICE, JOIN, join(tooLong)))
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.code()).isEqualTo(RoomErrors.BAD_ROOM_ID.code()));
        assertThat(owners.remembered(SERVICE, tooLong)).isNull();
    }

    @Test
    void aLostNodesKeysAreForgotten() {
        Link a = node("demo-1");
        Link b = node("demo-2");
        placement.place(session, SERVICE, JOIN, join(roomOwnedBy(a)));
        placement.place(session, SERVICE, JOIN, join(roomOwnedBy(b)));
        assertThat(owners.size()).isEqualTo(2);
        placement.nodeLost(a.peerNodeId());
        assertThat(owners.size()).isEqualTo(1);
        assertThat(owners.remembered(SERVICE, roomOwnedBy(b))).isEqualTo(b.peerNodeId());
    }

    @Test
    void rendezvousScoresDoNotChangeBetweenVersions() {
        // Gates of two releases share rooms during a rolling upgrade: they must score alike.
        assertThat(KeyOwners.rendezvous("lobby", "demo-1")).isEqualTo(2509189794652746305L);
        assertThat(KeyOwners.rendezvous("lobby", "demo-2")).isEqualTo(-7042420173457939564L);
    }
}
