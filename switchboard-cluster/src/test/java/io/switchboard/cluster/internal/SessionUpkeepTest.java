package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.gate.GateSession;
import com.google.protobuf.ByteString;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.StateListener;
import io.switchboard.users.UserSessions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Session bookkeeping for the nodes: open and close, CLOSED notices, bind and kick, rooms lost with a node. */
class SessionUpkeepTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String SERVICE = "demo";

    private final TestUsers testUsers = new TestUsers();
    private final UserSessions users = testUsers.users;
    private final RoutedSessions routed = new RoutedSessions();
    private final TestLinks testLinks = new TestLinks();
    private final LinkTable links = new LinkTable();
    private final Link nodeA = testLinks.open(3, SERVICE);
    private final Link nodeB = testLinks.open(4, "chat");
    private final List<String> userEvents = new CopyOnWriteArrayList<>();
    private final AtomicInteger gone = new AtomicInteger();
    private final SessionUpkeep upkeep = new SessionUpkeep(testUsers.sessions, routed,
            new ClosedNotices(() -> TestLinks.GATE_ID, links), users, new StateListener() {
                @Override
                public void connected(GateSession session) {
                    userEvents.add("connected " + session.id());
                }

                @Override
                public void disconnected(GateSession session, String reason) {
                    userEvents.add("disconnected " + session.id() + ": " + reason);
                }
            }, gone::incrementAndGet);
    private final TestSession session = new TestSession(5);

    @BeforeEach
    void setUp() {
        links.up(nodeA);
        links.up(nodeB);
    }

    @AfterEach
    void tearDown() {
        testUsers.close();
        session.close();
        testLinks.close();
    }

    private void connect(TestSession s) {
        testUsers.channels.add(s);
        upkeep.connected(s);
    }

    private void disconnect(TestSession s) {
        testUsers.channels.remove(s.id());
        upkeep.disconnected(s, "bye");
    }

    private static Envelope notice(long sessionId, int fromNode, String route, String payload) {
        return Envelopes.builder(Kind.NOTIFY).route(route).sessionId(sessionId).gateId(TestLinks.GATE_ID)
                .sourceNodeId(fromNode).payload(ByteString.copyFromUtf8(payload)).build();
    }

    @Test
    void aSessionsStateLivesFromConnectedToDisconnected() {
        connect(session);
        assertThat(routed.get(session.id())).isNotNull();
        assertThat(userEvents).containsExactly("connected 5");

        disconnect(session);
        assertThat(routed.size()).isZero();
        assertThat(userEvents).containsExactly("connected 5", "disconnected 5: bye");
        assertThat(gone).hasValue(1);
    }

    @Test
    void aClosedSessionsNodesAreToldOncePerPinnedService() {
        connect(session);
        routed.get(session.id()).pin(SERVICE, nodeA.peerNodeId());
        routed.get(session.id()).pin("chat", nodeB.peerNodeId());
        routed.get(session.id()).pin("gone", 9);
        disconnect(session);
        for (Link node : List.of(nodeA, nodeB)) {
            assertThat(TestLinks.sent(node)).singleElement().satisfies(closed -> {
                assertThat(Envelopes.kind(closed)).isEqualTo(Kind.NOTIFY);
                assertThat(Envelopes.route(closed)).isEqualTo(SystemRoutes.SESSION_CLOSED);
                assertThat(Envelopes.sessionId(closed)).isEqualTo(session.id());
                assertThat(Envelopes.gateId(closed)).isEqualTo(TestLinks.GATE_ID);
                assertThat(Envelopes.sourceNodeId(closed)).isEqualTo(TestLinks.GATE_ID);
            });
        }
    }

    @Test
    void aUserBoundAtTheHandshakeIsLoggedInAndARefusalKicks() {
        session.bind("alice");
        connect(session);
        assertThat(users.lookup("alice").join()).containsExactly(users.locationOf(session));

        TestSession badName = new TestSession(6);
        badName.bind("x".repeat(200));
        connect(badName);
        await().atMost(WAIT).until(() -> !badName.kicks.isEmpty());
        assertThat(badName.kicks).containsExactly("bad user id");
    }

    @Test
    void bindAndUnbindFromANodeGoThroughTheDirectory() {
        connect(session);
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.SESSION_BIND, "alice"));
        await().atMost(WAIT).until(() -> "alice".equals(session.userId()));
        assertThat(users.lookup("alice").join()).containsExactly(users.locationOf(session));

        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.SESSION_BIND, ""));
        await().atMost(WAIT).until(() -> session.userId() == null);
        assertThat(users.lookup("alice").join()).isEmpty();
    }

    @Test
    void aKickFromANodeKicksTheSession() {
        connect(session);
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.SESSION_KICK, "cheating"));
        assertThat(session.kicks).containsExactly("cheating");
    }

    @Test
    void noticesForGoneSessionsAreIgnored() {
        connect(session);
        disconnect(session);
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.SESSION_KICK, "late"));
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.ROOM_JOINED, "lobby"));
        assertThat(session.kicks).isEmpty();
        assertThat(routed.size()).as("nothing kept for a gone session").isZero();
    }

    @Test
    void membersOfALostNodesRoomsHearTheyClosed() {
        connect(session);
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.ROOM_JOINED, "lobby"));
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.ROOM_JOINED, "left-early"));
        upkeep.notice(notice(session.id(), nodeA.peerNodeId(), SystemRoutes.ROOM_LEFT, "left-early"));
        upkeep.notice(notice(session.id(), nodeB.peerNodeId(), SystemRoutes.ROOM_JOINED, "elsewhere"));

        upkeep.nodeLost(nodeA.peerNodeId(), "node lost (PEER_SILENT)");
        assertThat(session.pushes).containsExactly(new TestSession.Pushed(FrameworkRoutes.ROOM_CLOSED,
                "{\"room\":\"lobby\",\"reason\":\"node lost (PEER_SILENT)\"}"));
        upkeep.nodeLost(nodeA.peerNodeId(), "again");
        assertThat(session.pushes).as("told once").hasSize(1);
        assertThat(session.attributes().isEmpty()).as("nothing of the router in the user's attributes").isTrue();
    }
}
