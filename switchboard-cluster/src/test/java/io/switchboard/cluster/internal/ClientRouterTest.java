package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LowestMemoryPlacement;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.NodeInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Client messages: local services stay in the gate, others go to their node, bad and reserved routes are refused. */
class ClientRouterTest {
    private static final long REQUEST = 8;
    private static final String BODY = "{\"hello\":1}";

    private final MemoryRegistry registry = new MemoryRegistry();
    private final ClusterMetrics metrics = ClusterMetrics.inMemory();
    private final TestLinks testLinks = new TestLinks();
    private final LinkTable links = new LinkTable();
    private final RoutedSessions sessions = new RoutedSessions();
    private final Forwarder forwarder = new Forwarder(links, metrics, new ManualTicker(), Duration.ofSeconds(1));
    private final List<String> localRoutes = new ArrayList<>();
    private final ClientRouter router = new ClientRouter(() -> TestLinks.GATE_ID, Set.of("auth"),
            (session, message) -> {
                localRoutes.add(message.route());
                message.release();
            }, sessions,
            new Placement(registry, links, new LowestMemoryPlacement(), route -> null,
                    new KeyOwners(KeyOwners.DEFAULT_CAPACITY), new ClosedNotices(() -> TestLinks.GATE_ID, links)),
            forwarder, metrics);
    private final TestSession session = new TestSession(5);

    @AfterEach
    void tearDown() {
        session.close();
        testLinks.close();
        registry.close();
    }

    private Link node() {
        int nodeId = registry.register(NodeInfo.builder("demo-1", "demo")
                .metadata(NodeMetadata.READY, "true").build()).join().nodeId();
        Link link = testLinks.open(nodeId, "demo");
        links.up(link);
        return link;
    }

    private static ByteBuf body() {
        return Unpooled.copiedBuffer(BODY, StandardCharsets.UTF_8);
    }

    /** Hands the router a request and checks it released the message. */
    private void request(String route) {
        PomeloMessage message = PomeloMessage.request(REQUEST, route, body());
        router.receive(session, message);
        assertThat(message.refCnt()).as("the router owns the message").isZero();
    }

    private void assertRefused(ErrorCode code) throws IOException {
        assertThat(session.replies()).singleElement().satisfies(reply -> {
            assertThat(reply.id()).isEqualTo(REQUEST);
            assertThat(reply.error()).isTrue();
            assertThat(Json.MAPPER.readTree(reply.body()).get("code").asLong()).isEqualTo(code.code());
        });
        assertThat(metrics.requestsFailed(code)).isEqualTo(1);
    }

    @Test
    void localServicesStayInTheGate() {
        sessions.open(session);
        Link node = node();
        router.receive(session, PomeloMessage.request(REQUEST, "auth.login.enter", body()));
        assertThat(localRoutes).containsExactly("auth.login.enter");
        assertThat(TestLinks.sent(node)).isEmpty();
    }

    @Test
    void aRequestGoesToItsNodeAndItsAnswerComesBack() {
        sessions.open(session);
        session.bind("alice");
        Link node = node();
        request("demo.echo.say");
        Envelope sent = TestLinks.sent(node).get(0);
        assertThat(Envelopes.kind(sent)).isEqualTo(Kind.REQUEST);
        assertThat(Envelopes.route(sent)).isEqualTo("demo.echo.say");
        assertThat(Envelopes.sessionId(sent)).isEqualTo(session.id());
        assertThat(Envelopes.gateId(sent)).isEqualTo(TestLinks.GATE_ID);
        assertThat(Envelopes.sourceNodeId(sent)).isEqualTo(TestLinks.GATE_ID);
        assertThat(Envelopes.targetNodeId(sent)).isEqualTo(node.peerNodeId());
        assertThat(Envelopes.userId(sent)).isEqualTo("alice");
        assertThat(Envelopes.payload(sent).toStringUtf8()).isEqualTo(BODY);

        forwarder.answer(node, Envelopes.response(Envelopes.requestId(sent), Envelopes.payload(sent)));
        assertThat(session.replies()).containsExactly(new TestSession.Reply(REQUEST, false, BODY));
    }

    @Test
    void aNotifyGoesToItsNodeAndWaitsForNothing() {
        sessions.open(session);
        Link node = node();
        PomeloMessage message = PomeloMessage.notify("demo.echo.tell", body());
        router.receive(session, message);
        assertThat(message.refCnt()).isZero();
        assertThat(TestLinks.sent(node)).singleElement().satisfies(sent -> {
            assertThat(Envelopes.kind(sent)).isEqualTo(Kind.NOTIFY);
            assertThat(sent.hasUserId())
                    .as("no user bound").isFalse();
        });
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void aSaturatedNodeLinkRefusesRequestsAndDropsNotifiesWithoutQueueingThem() throws IOException {
        sessions.open(session);
        Link node = node();
        node.channel().unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        request("demo.echo.say");
        PomeloMessage notify = PomeloMessage.notify("demo.echo.tell", body());
        router.receive(session, notify);

        assertThat(notify.refCnt()).isZero();
        assertRefused(ClusterErrors.LINK_SATURATED);
        assertThat(metrics.notifiesDropped()).isEqualTo(1);
        assertThat(TestLinks.sent(node)).isEmpty();
    }

    @Test
    void aBadRouteIsRefused() throws IOException {
        sessions.open(session);
        request("demo..say");
        assertRefused(HandlerErrors.BAD_ROUTE);
    }

    @Test
    void theReservedSystemServiceIsRefusedSoClientsCannotForgeUpkeep() throws IOException {
        sessions.open(session);
        Link node = node();
        request(SystemRoutes.SESSION_CLOSED);
        assertRefused(HandlerErrors.ROUTE_NOT_FOUND);
        router.receive(session, PomeloMessage.notify(SystemRoutes.SESSION_KICK, body()));
        assertThat(session.replies()).as("a refused notify is dropped").isEmpty();
        assertThat(TestLinks.sent(node)).isEmpty();
    }

    @Test
    void aServiceWithoutNodesIsRefusedWithNoNode() throws IOException {
        sessions.open(session);
        request("demo.echo.say");
        assertRefused(ClusterErrors.NO_NODE);
    }

    @Test
    void aClosedSessionsMessageIsRefused() throws IOException {
        node();
        request("demo.echo.say");
        assertRefused(SessionErrors.NO_SUCH_SESSION);
    }
}
