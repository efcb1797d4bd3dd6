package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import com.google.protobuf.ByteString;
import io.netty.buffer.Unpooled;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.LowestMemoryPlacement;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.gate.ConcurrentChannelMap;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.StateListener;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts wired together: the links' envelopes sorted by kind, a lost link, the request timeout. */
class GateRouterTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private static final long REQUEST = 4;

    private final ManualTicker ticker = new ManualTicker();
    private final MemoryRegistry registry = new MemoryRegistry();
    private final TestUsers testUsers = new TestUsers();
    private final ConcurrentChannelMap channels = testUsers.channels;
    private final ClusterMetrics metrics = ClusterMetrics.inMemory();
    private final AtomicInteger sessionsGone = new AtomicInteger();
    private final GateRouter router = new GateRouter(() -> TestLinks.GATE_ID, registry,
            LinkSettings.defaults().withTicker(ticker).withRequestTimeout(TIMEOUT), new LowestMemoryPlacement(),
            route -> null, Set.of(), null, StateListener.NOOP, metrics, sessionsGone::incrementAndGet, testUsers.users);
    private final TestLinks testLinks = new TestLinks();
    private final TestSession session = new TestSession(5);
    private Link node;

    @BeforeEach
    void setUp() {
        int nodeId = registry.register(NodeInfo.builder("demo-1", "demo")
                .metadata(NodeMetadata.READY, "true").build()).join().nodeId();
        node = testLinks.open(nodeId, "demo");
        router.linkUp(node);
        router.channels(channels);
        channels.add(session);
        router.connected(session);
    }

    @AfterEach
    void tearDown() {
        testUsers.close();
        session.close();
        testLinks.close();
        registry.close();
    }

    /** Sends a client request through the router; returns what its node got. */
    private Envelope clientRequest() {
        router.receive(session, PomeloMessage.request(REQUEST, "demo.echo.say",
                Unpooled.copiedBuffer("{}", StandardCharsets.UTF_8)));
        return TestLinks.sent(node).get(0);
    }

    private long errorCode(TestSession.Reply reply) throws IOException {
        assertThat(reply.error()).isTrue();
        return Json.MAPPER.readTree(reply.body()).get("code").asLong();
    }

    @Test
    void aRequestRoundTripsAndTheNodeHearsWhenTheSessionCloses() {
        Envelope sent = clientRequest();
        router.received(node, Envelopes.response(Envelopes.requestId(sent), ByteString.copyFromUtf8("{\"ok\":1}")));
        assertThat(session.replies()).containsExactly(new TestSession.Reply(REQUEST, false, "{\"ok\":1}"));
        assertThat(router.pendingRequests()).isZero();

        channels.remove(session.id());
        router.disconnected(session, "bye");
        assertThat(TestLinks.sent(node)).singleElement()
                .satisfies(closed -> assertThat(Envelopes.route(closed)).isEqualTo(SystemRoutes.SESSION_CLOSED));
        assertThat(sessionsGone).hasValue(1);
        assertThat(session.attributes().isEmpty()).as("nothing of the router in the user's attributes").isTrue();
    }

    @Test
    void anUnansweredRequestFailsWhenTheTickerPassesTheTimeout() throws IOException {
        clientRequest();
        ticker.advance(TIMEOUT);
        router.expire();
        assertThat(errorCode(session.replies().get(0))).isEqualTo(ClusterErrors.REQUEST_TIMEOUT.code());
    }

    @Test
    void aLostLinkFailsItsRequestsAndClosesItsRooms() throws IOException {
        clientRequest();
        router.received(node, Envelopes.builder(Kind.NOTIFY).route(SystemRoutes.ROOM_JOINED)
                .sessionId(session.id()).sourceNodeId(node.peerNodeId()).payload(ByteString.copyFromUtf8("lobby"))
                .build());
        node.close(LinkCloseReason.PEER_SILENT);
        router.linkDown(node, LinkCloseReason.PEER_SILENT);

        assertThat(errorCode(session.replies().get(0))).isEqualTo(ClusterErrors.NODE_LOST.code());
        assertThat(session.pushes).singleElement().satisfies(closed -> {
            assertThat(closed.route()).isEqualTo(FrameworkRoutes.ROOM_CLOSED);
            assertThat(closed.body()).contains("\"reason\":\"node lost (PEER_SILENT)\"");
        });
        assertThat(router.linkedNodes()).isEmpty();
    }

    @Test
    void nodesEnvelopesAreSortedByKind() {
        Link other = testLinks.open(8, "chat");
        router.linkUp(other);
        assertThat(router.linkedNodes()).containsExactlyInAnyOrder(node.peerNodeId(), 8);

        router.received(node, Envelopes.builder(Kind.PUSH).route("onNews").sessionId(session.id())
                .payload(ByteString.copyFromUtf8("1")).build());
        router.received(node, Envelopes.builder(Kind.BROADCAST).route("onNews").targetSessionIds(session.id())
                .payload(ByteString.copyFromUtf8("2")).build());
        assertThat(session.pushes).extracting(TestSession.Pushed::body).containsExactly("1", "2");

        router.received(node, Envelopes.builder(Kind.REQUEST).route(SystemRoutes.USER_LOOKUP).requestId(1)
                .userId("nobody").build());
        assertThat(TestLinks.sent(node)).singleElement()
                .satisfies(answer -> assertThat(Envelopes.kind(answer)).isEqualTo(Kind.RESPONSE));

        router.received(node, Envelopes.builder(Kind.REQUEST).route("chat.room.say").requestId(2)
                .targetNodeId(8).build());
        assertThat(TestLinks.sent(other)).singleElement()
                .satisfies(relayed -> assertThat(Envelopes.route(relayed)).isEqualTo("chat.room.say"));

        router.received(node, Envelopes.builder(Kind.NOTIFY).route(SystemRoutes.SESSION_KICK)
                .sessionId(session.id()).payload(ByteString.copyFromUtf8("out")).build());
        assertThat(session.kicks).containsExactly("out");

        router.received(node, Envelopes.hello(3, "demo"));
        assertThat(node.isActive()).as("a HELLO after the link is up breaks the protocol").isFalse();
    }
}
