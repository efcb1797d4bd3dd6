package io.switchboard.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.protocol.EnvelopeBuilder;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.ErrorCode;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** Forwarded requests end exactly once: answered, failed by a lost or unwritable link, or failed at the timeout. */
class ForwarderTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final long CLIENT_REQUEST = 11;
    private static final long ORIGIN_REQUEST = 55;

    private final ManualTicker ticker = new ManualTicker();
    private final ClusterMetrics metrics = ClusterMetrics.inMemory();
    private final TestLinks testLinks = new TestLinks();
    private final LinkTable links = new LinkTable();
    private final Forwarder forwarder = new Forwarder(links, metrics, ticker, TIMEOUT);
    private final TestSession client = new TestSession(1);
    private final Link nodeA = testLinks.open(3, "demo");
    private final Link nodeB = testLinks.open(4, "demo");

    @AfterEach
    void tearDown() {
        client.close();
        testLinks.close();
    }

    private static EnvelopeBuilder request() {
        return Envelopes.builder(Kind.REQUEST).route("demo.echo.say").sessionId(1).gateId(TestLinks.GATE_ID)
                .payload(ByteString.copyFromUtf8("{}"));
    }

    /** Forwards a client request to {@code link}; returns the gate's request id the node saw. */
    private long forward(Link link) {
        forwarder.request(link, request(), client, CLIENT_REQUEST);
        Envelope sent = TestLinks.sent(link).get(0);
        assertThat(Envelopes.kind(sent)).isEqualTo(Kind.REQUEST);
        return Envelopes.requestId(sent);
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    private void assertFailedWith(TestSession.Reply reply, ErrorCode code) throws IOException {
        assertThat(reply.id()).isEqualTo(CLIENT_REQUEST);
        assertThat(reply.error()).isTrue();
        assertThat(json(reply.body()).get("code").asLong()).isEqualTo(code.code());
    }

    @Test
    void aRequestIsAnsweredOnceAndLateRepeatsAreDropped() {
        long id = forward(nodeA);
        forwarder.answer(Envelopes.response(id, ByteString.copyFromUtf8("{\"ok\":1}")));
        assertThat(client.replies()).containsExactly(new TestSession.Reply(CLIENT_REQUEST, false, "{\"ok\":1}"));

        forwarder.answer(Envelopes.response(id, ByteString.copyFromUtf8("{\"again\":1}")));
        forwarder.nodeLost(nodeA.peerNodeId(), LinkCloseReason.PEER_CLOSED);
        ticker.advance(TIMEOUT);
        forwarder.expire();
        assertThat(client.replies()).isEmpty();
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void aNodesErrorReachesTheClientWithItsCode() throws IOException {
        long id = forward(nodeA);
        forwarder.answer(Envelopes.errorResponse(id, HandlerErrors.ROUTE_NOT_FOUND.code(), "no such route"));
        TestSession.Reply reply = client.replies().get(0);
        assertFailedWith(reply, HandlerErrors.ROUTE_NOT_FOUND);
        assertThat(json(reply.body()).get("msg").asText()).isEqualTo("no such route");
    }

    @Test
    void aDroppedLinkFailsItsRequestsWithNodeLostAndLeavesOthers() throws IOException {
        long lost = forward(nodeA);
        forward(nodeA);
        long kept = forward(nodeB);

        forwarder.nodeLost(nodeA.peerNodeId(), LinkCloseReason.PEER_SILENT);
        List<TestSession.Reply> replies = client.replies();
        assertThat(replies).hasSize(2);
        for (TestSession.Reply reply : replies) {
            assertFailedWith(reply, ClusterErrors.NODE_LOST);
            assertThat(json(reply.body()).get("msg").asText()).isEqualTo("node 3 went away (PEER_SILENT)");
        }
        assertThat(metrics.requestsFailed(ClusterErrors.NODE_LOST)).isEqualTo(2);
        assertThat(forwarder.size()).isEqualTo(1);

        forwarder.answer(Envelopes.response(lost, ByteString.copyFromUtf8("late")));
        assertThat(client.replies()).as("answered after it failed: dropped").isEmpty();
        forwarder.answer(Envelopes.response(kept, ByteString.copyFromUtf8("{}")));
        assertThat(client.replies()).singleElement().satisfies(r -> assertThat(r.error()).isFalse());
    }

    @Test
    void anUnansweredRequestFailsAtTheTimeoutOnTheTicker() throws IOException {
        long id = forward(nodeA);
        ticker.advance(TIMEOUT.minusNanos(1));
        forwarder.expire();
        assertThat(client.replies()).isEmpty();

        ticker.advance(Duration.ofNanos(1));
        forwarder.expire();
        TestSession.Reply reply = client.replies().get(0);
        assertFailedWith(reply, ClusterErrors.REQUEST_TIMEOUT);
        assertThat(json(reply.body()).get("msg").asText()).isEqualTo("node 3 did not answer in 10000 ms");
        assertThat(metrics.requestsFailed(ClusterErrors.REQUEST_TIMEOUT)).isEqualTo(1);

        forwarder.answer(Envelopes.response(id, ByteString.copyFromUtf8("late")));
        forwarder.expire();
        assertThat(client.replies()).isEmpty();
    }

    @Test
    void aRequestThatCannotBeWrittenFailsWithNodeUnreachable() throws IOException {
        nodeA.close(LinkCloseReason.PEER_CLOSED);
        forwarder.request(nodeA, request(), client, CLIENT_REQUEST);
        assertFailedWith(client.replies().get(0), ClusterErrors.NODE_UNREACHABLE);
        assertThat(metrics.requestsFailed(ClusterErrors.NODE_UNREACHABLE)).isEqualTo(1);
        assertThat(forwarder.size()).isZero();
    }

    private static Envelope nodeCall(int target) {
        return Envelopes.builder(Kind.REQUEST).route("demo.echo.say").sourceNodeId(3).targetNodeId(target)
                .requestId(ORIGIN_REQUEST).payload(ByteString.copyFromUtf8("[1]")).build();
    }

    @Test
    void aRelayedAnswerGoesBackToTheOriginUnderItsRequestId() {
        links.up(nodeB);
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        Envelope relayed = TestLinks.sent(nodeB).get(0);
        assertThat(Envelopes.route(relayed)).isEqualTo("demo.echo.say");
        assertThat(Envelopes.payload(relayed).toStringUtf8()).isEqualTo("[1]");

        forwarder.answer(Envelopes.response(Envelopes.requestId(relayed), ByteString.copyFromUtf8("[1]")));
        assertThat(TestLinks.sent(nodeA)).singleElement().satisfies(answer -> {
            assertThat(Envelopes.kind(answer)).isEqualTo(Kind.RESPONSE);
            assertThat(Envelopes.requestId(answer)).isEqualTo(ORIGIN_REQUEST);
            assertThat(Envelopes.payload(answer).toStringUtf8()).isEqualTo("[1]");
        });
        assertThat(TestLinks.sent(nodeB)).isEmpty();
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void aRelayToAnUnlinkedNodeFailsAtOnce() {
        forwarder.relay(nodeA, nodeCall(9));
        assertThat(TestLinks.sent(nodeA)).singleElement().satisfies(answer -> {
            assertThat(Envelopes.requestId(answer)).isEqualTo(ORIGIN_REQUEST);
            assertThat(Envelopes.errorCode(answer)).isEqualTo(ClusterErrors.NODE_UNREACHABLE.code());
            assertThat(Envelopes.errorInfo(answer)).isEqualTo("node 9 is not linked to this gate");
        });
        assertThat(metrics.requestsFailed(ClusterErrors.NODE_UNREACHABLE)).isEqualTo(1);
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void aRelayFailsBackToTheOriginWhenItsTargetIsLostOrSilent() {
        links.up(nodeB);
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        forwarder.nodeLost(nodeB.peerNodeId(), LinkCloseReason.PEER_CLOSED);
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        ticker.advance(TIMEOUT);
        forwarder.expire();
        assertThat(TestLinks.sent(nodeA)).extracting(Envelopes::requestId, Envelopes::errorCode).containsExactly(
                tuple(ORIGIN_REQUEST, ClusterErrors.NODE_LOST.code()),
                tuple(ORIGIN_REQUEST, ClusterErrors.REQUEST_TIMEOUT.code()));
    }
}
