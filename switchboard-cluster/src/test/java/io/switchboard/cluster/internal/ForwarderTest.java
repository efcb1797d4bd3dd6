package io.switchboard.cluster.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.api.errors.RuntimeErrors;
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
    private final RoutedSession routed = new RoutedSession(client);
    private final TestSession other = new TestSession(2);
    private final Link nodeA = testLinks.open(3, "demo");
    private final Link nodeB = testLinks.open(4, "demo");

    @AfterEach
    void tearDown() {
        client.close();
        other.close();
        testLinks.close();
    }

    private static EnvelopeBuilder request() {
        return Envelopes.builder(Kind.REQUEST).route("demo.echo.say").sessionId(1).gateId(TestLinks.GATE_ID)
                .payload(ByteString.copyFromUtf8("{}"));
    }

    /** Forwards a client request to {@code link}; returns the gate's request id the node saw. */
    private long forward(Link link) {
        forwarder.request(link, request(), routed, CLIENT_REQUEST);
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
        forwarder.answer(nodeA, Envelopes.response(id, ByteString.copyFromUtf8("{\"ok\":1}")));
        assertThat(client.replies()).containsExactly(new TestSession.Reply(CLIENT_REQUEST, false, "{\"ok\":1}"));

        forwarder.answer(nodeA, Envelopes.response(id, ByteString.copyFromUtf8("{\"again\":1}")));
        forwarder.nodeLost(nodeA.peerNodeId(), LinkCloseReason.PEER_CLOSED);
        ticker.advance(TIMEOUT);
        forwarder.expire();
        assertThat(client.replies()).isEmpty();
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void anotherNodeCannotAnswerOrEndARequestItWasNotSent() {
        long id = forward(nodeA);
        forwarder.answer(nodeB, Envelopes.response(id, ByteString.copyFromUtf8("{\"from\":\"B\"}")));
        assertThat(client.replies()).as("node B's answer to node A's request reaches nobody").isEmpty();
        assertThat(forwarder.size()).as("still waiting for node A").isEqualTo(1);

        forwarder.answer(nodeA, Envelopes.response(id, ByteString.copyFromUtf8("{\"from\":\"A\"}")));
        assertThat(client.replies()).containsExactly(new TestSession.Reply(CLIENT_REQUEST, false,
                "{\"from\":\"A\"}"));
        assertThat(forwarder.size()).isZero();
    }

    @Test
    void aNodesErrorReachesTheClientWithItsCode() throws IOException {
        long id = forward(nodeA);
        forwarder.answer(nodeA, Envelopes.errorResponse(id, HandlerErrors.ROUTE_NOT_FOUND.code(), "no such route"));
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

        forwarder.answer(nodeA, Envelopes.response(lost, ByteString.copyFromUtf8("late")));
        assertThat(client.replies()).as("answered after it failed: dropped").isEmpty();
        forwarder.answer(nodeB, Envelopes.response(kept, ByteString.copyFromUtf8("{}")));
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

        forwarder.answer(nodeA, Envelopes.response(id, ByteString.copyFromUtf8("late")));
        forwarder.expire();
        assertThat(client.replies()).isEmpty();
    }

    @Test
    void aRequestThatCannotBeWrittenFailsWithNodeUnreachable() throws IOException {
        nodeA.close(LinkCloseReason.PEER_CLOSED);
        forwarder.request(nodeA, request(), routed, CLIENT_REQUEST);
        assertFailedWith(client.replies().get(0), ClusterErrors.NODE_UNREACHABLE);
        assertThat(metrics.requestsFailed(ClusterErrors.NODE_UNREACHABLE)).isEqualTo(1);
        assertThat(forwarder.size()).isZero();
    }

    private static Envelope nodeCall(int target) {
        return Envelopes.builder(Kind.REQUEST).route("demo.echo.say").sourceNodeId(3).targetNodeId(target)
                .requestId(ORIGIN_REQUEST).payload(ByteString.copyFromUtf8("[1]")).build();
    }

    @Test
    void oneNodesRelayedCallsTakeAQuarterOfTheTableAtMost() {
        Forwarder small = new Forwarder(links, metrics, ticker, TIMEOUT, 2, 8);   // 8 in all: 2 relayed per node
        links.up(nodeB);
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        List<Envelope> relayed = TestLinks.sent(nodeB);
        assertThat(relayed).as("the third was not relayed").hasSize(2);
        assertThat(TestLinks.sent(nodeA)).singleElement().satisfies(refused ->
                assertThat(Envelopes.errorCode(refused)).isEqualTo(RuntimeErrors.OVERLOADED.code()));

        // Each way a call ends gives its place back: an answer, a timeout.
        small.answer(nodeB, Envelopes.response(Envelopes.requestId(relayed.get(0)), ByteString.copyFromUtf8("[1]")));
        ticker.advance(TIMEOUT);
        small.expire();
        TestLinks.sent(nodeA);
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        assertThat(TestLinks.sent(nodeB)).hasSize(2);
        assertThat(TestLinks.sent(nodeA)).isEmpty();
    }

    @Test
    void aCallFromANodeWhoseLinkBackIsSaturatedIsDroppedUnanswered() {
        links.up(nodeB);
        EmbeddedChannel back = (EmbeddedChannel) nodeA.channel();
        back.config().setWriteBufferWaterMark(new WriteBufferWaterMark(1, 2));
        back.write(Unpooled.wrappedBuffer(new byte[16]));   // not flushed: the link back holds it
        assertThat(nodeA.isSaturated()).isTrue();

        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        assertThat(TestLinks.sent(nodeB)).as("not relayed").isEmpty();
        assertThat(forwarder.size()).isZero();
        assertThat(metrics.requestsFailed(ClusterErrors.LINK_SATURATED)).isEqualTo(1);
        back.flush();
        ByteBuf own = back.readOutbound();
        assertThat(own).as("the test's own bytes").isNotNull();
        own.release();
        assertThat(TestLinks.sent(nodeA)).as("and no refusal behind them").isEmpty();
    }

    @Test
    void aRelayedAnswerGoesBackToTheOriginUnderItsRequestId() {
        links.up(nodeB);
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        Envelope relayed = TestLinks.sent(nodeB).get(0);
        assertThat(Envelopes.route(relayed)).isEqualTo("demo.echo.say");
        assertThat(Envelopes.payload(relayed).toStringUtf8()).isEqualTo("[1]");

        forwarder.answer(nodeB, Envelopes.response(Envelopes.requestId(relayed), ByteString.copyFromUtf8("[1]")));
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

    // ---- bounds ---------------------------------------------------------------------------------------------

    private static long errorCode(TestSession.Reply reply) throws IOException {
        assertThat(reply.error()).isTrue();
        return json(reply.body()).get("code").asLong();
    }

    @Test
    void aSessionOverItsInFlightCapIsAnsweredTooManyPendingUntilOneEnds() throws IOException {
        Forwarder capped = new Forwarder(links, metrics, ticker, TIMEOUT, 2, 100);
        capped.request(nodeA, request(), routed, 1);
        capped.request(nodeA, request(), routed, 2);
        capped.request(nodeA, request(), routed, 3);

        List<Envelope> sent = TestLinks.sent(nodeA);
        assertThat(sent).as("the third was not sent").hasSize(2);
        TestSession.Reply refused = client.replies().get(0);
        assertThat(refused.id()).isEqualTo(3);
        assertThat(errorCode(refused)).isEqualTo(GateErrors.TOO_MANY_PENDING.code());
        assertThat(routed.requestsInFlight()).isEqualTo(2);

        // Another session is not held back by this one's cap.
        capped.request(nodeA, request(), new RoutedSession(other), 9);
        assertThat(TestLinks.sent(nodeA)).hasSize(1);
        assertThat(other.replies()).isEmpty();

        // Each way a request ends gives its slot back: an answer, a timeout, a lost node.
        capped.answer(nodeA, Envelopes.response(Envelopes.requestId(sent.get(0)), ByteString.copyFromUtf8("{}")));
        assertThat(routed.requestsInFlight()).isEqualTo(1);
        ticker.advance(TIMEOUT);
        capped.expire();
        assertThat(routed.requestsInFlight()).isZero();
        capped.request(nodeB, request(), routed, 4);
        capped.nodeLost(nodeB.peerNodeId(), LinkCloseReason.PEER_CLOSED);
        assertThat(routed.requestsInFlight()).isZero();
        assertThat(metrics.requestsFailed(GateErrors.TOO_MANY_PENDING)).isEqualTo(1);
    }

    @Test
    void aFullPendingTableAnswersOverloadedAndSendsNothing() throws IOException {
        Forwarder small = new Forwarder(links, metrics, ticker, TIMEOUT, 10, 1);
        small.request(nodeA, request(), routed, 1);
        small.request(nodeA, request(), routed, 2);
        links.up(nodeB);
        small.relay(nodeA, nodeCall(nodeB.peerNodeId()));

        List<Envelope> sent = TestLinks.sent(nodeA);
        assertThat(sent).extracting(Envelopes::kind).as("the first request, then the relay's refusal")
                .containsExactly(Kind.REQUEST, Kind.RESPONSE);
        assertThat(sent.get(1)).satisfies(e -> {
            assertThat(Envelopes.requestId(e)).isEqualTo(ORIGIN_REQUEST);
            assertThat(Envelopes.errorCode(e)).isEqualTo(RuntimeErrors.OVERLOADED.code());
        });
        TestSession.Reply refused = client.replies().get(0);
        assertThat(refused.id()).isEqualTo(2);
        assertThat(errorCode(refused)).isEqualTo(RuntimeErrors.OVERLOADED.code());
        assertThat(small.size()).isEqualTo(1);
        assertThat(routed.requestsInFlight()).as("the refused one holds no slot").isEqualTo(1);
        assertThat(TestLinks.sent(nodeB)).isEmpty();
    }

    @Test
    void aSaturatedLinkRefusesWithLinkSaturatedUntilItDrainsBelowItsLowWaterMark() throws IOException {
        ChannelOutboundBuffer outbound = nodeA.channel().unsafe().outboundBuffer();
        outbound.setUserDefinedWritability(1, false);
        assertThat(nodeA.isSaturated()).isTrue();

        forwarder.request(nodeA, request(), routed, CLIENT_REQUEST);
        links.up(nodeA);
        forwarder.relay(nodeB, nodeCall(nodeA.peerNodeId()));

        assertThat(TestLinks.sent(nodeA)).as("nothing queued on the saturated link").isEmpty();
        assertFailedWith(client.replies().get(0), ClusterErrors.LINK_SATURATED);
        assertThat(TestLinks.sent(nodeB)).singleElement()
                .satisfies(e -> assertThat(Envelopes.errorCode(e)).isEqualTo(ClusterErrors.LINK_SATURATED.code()));
        assertThat(forwarder.size()).isZero();
        assertThat(routed.requestsInFlight()).isZero();
        assertThat(metrics.requestsFailed(ClusterErrors.LINK_SATURATED)).isEqualTo(2);

        outbound.setUserDefinedWritability(1, true);
        forward(nodeA);
        assertThat(client.replies()).isEmpty();
    }

    @Test
    void aRequestCarriesTheGatesRemainingWaitAndARelayTheShorterOfTheCallersAndTheGates() {
        assertThat(Envelopes.remainingMs(TestLinks.sent(sendTo(nodeA)).get(0))).isEqualTo(TIMEOUT.toMillis());

        links.up(nodeB);
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()).toBuilder()
                .setRemainingMs(300).build());
        forwarder.relay(nodeA, nodeCall(nodeB.peerNodeId()));
        List<Envelope> relayed = TestLinks.sent(nodeB);
        assertThat(relayed).extracting(Envelopes::remainingMs).containsExactly(300L, TIMEOUT.toMillis());

        // The relay with 300 ms left expires on its own deadline, long before the gate's timeout.
        ticker.advance(Duration.ofMillis(300));
        forwarder.expire();
        assertThat(TestLinks.sent(nodeA)).extracting(Envelopes::requestId, Envelopes::errorCode)
                .containsExactly(tuple(ORIGIN_REQUEST, ClusterErrors.REQUEST_TIMEOUT.code()));
        assertThat(forwarder.size()).isEqualTo(2);
    }

    private Link sendTo(Link link) {
        forwarder.request(link, request(), routed, CLIENT_REQUEST);
        return link;
    }
}
