package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.Json;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.PartitionProxy;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A network partition between a gate and a node, both alive, in one JVM: gate-1's cluster port is reached through a
 * {@link PartitionProxy}, gate-2's directly. Cut (both ways or one), an end of the gate-1 link that hears nothing (no
 * close either) declares the other dead on the injected ticker and closes it, which the other end hears unless that
 * way is cut too; what was in flight fails with a code and every client stays connected; gate-2 serves on. Healed,
 * the node's next dial links again. Time moves only by the ticker, in steps shorter than a link's
 * dead-after, each followed by a request through gate-2, so that link is never silent for long enough to die.
 */
class LinkPartitionTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    private static final Duration DEAD_AFTER = Duration.ofSeconds(3);
    private static final Duration STEP = Duration.ofSeconds(1);
    private static final String ECHO = "part.echo.say";
    private static final int LOAD_WINDOW = 4;
    /** Real time in which the links' checks (every 20 ms) have surely seen the ticker where it is. */
    private static final Duration CHECKS_RAN = Duration.ofSeconds(1);

    private final ManualTicker ticker = new ManualTicker();
    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults().withTicker(ticker)
            .withPing(Duration.ofMillis(500), DEAD_AFTER).withCheckInterval(Duration.ofMillis(20)));
    private PartitionProxy proxy;

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
        if (proxy != null) {
            proxy.close();
        }
    }

    /** Cut {@code way}: the node dials the proxy, so {@code TO_TARGET} is what the node sends gate-1. */
    @ParameterizedTest
    @EnumSource(PartitionProxy.Direction.class)
    void aGateCutOffFromItsNodeFailsWhatWasInFlightWithACodeAndLinksAgainOnceHealed(PartitionProxy.Direction way)
            throws Exception {
        int linkPort = FreePort.next();
        proxy = new PartitionProxy(new InetSocketAddress("127.0.0.1", linkPort));
        ClusterGate cutOff = cluster.gate("gate-1", gate -> gate.cluster("127.0.0.1", linkPort)
                .advertisedClusterPort(proxy.port()));
        ClusterGate other = cluster.gate("gate-2", gate -> gate);
        ServiceNode node = cluster.node("part-1", "part", new Handlers().request(ECHO, ctx -> ctx.bodyBytes()),
                builder -> builder);
        InProcessCluster.awaitLinked(cutOff, node);
        InProcessCluster.awaitLinked(other, node);
        SwitchboardClient alice = cluster.client(cutOff);
        SwitchboardClient bob = cluster.client(other);
        assertEchoes(alice, "before");
        assertEchoes(bob, "before");
        RequestLoad cutOffLoad = load(cutOff);
        RequestLoad otherLoad = load(other);
        await().atMost(WAIT).until(() -> cutOffLoad.answered.get() > 0 && otherLoad.answered.get() > 0);

        proxy.cut(way);
        CompletableFuture<Response> inFlight = alice.request(ECHO, body("lost in the cut"));
        int acceptedBefore = proxy.accepted();
        stepPast(DEAD_AFTER, bob);
        stepUntil("both ends of gate-1's link close it", () -> !cutOff.linkedNodes().contains(node.nodeId())
                && !node.linkedGates().contains(cutOff.nodeId()), bob);
        Response lost = inFlight.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(lost.errorCode()).as(lost.toString()).isEqualTo(ClusterErrors.NODE_LOST.code());
        // An end that hears nothing closes the link as silent; across a one-way cut the other hears that close.
        boolean gateHearsNothing = way.loses(PartitionProxy.Direction.TO_TARGET);
        boolean nodeHearsNothing = way.loses(PartitionProxy.Direction.FROM_TARGET);
        assertThat(cutOff.metrics().linksClosed(LinkCloseReason.PEER_SILENT)).isEqualTo(gateHearsNothing ? 1 : 0);
        assertThat(node.metrics().linksClosed(LinkCloseReason.PEER_SILENT)).isEqualTo(nodeHearsNothing ? 1 : 0);
        assertThat(cutOff.metrics().linksClosed(LinkCloseReason.PEER_CLOSED)).isEqualTo(gateHearsNothing ? 0 : 1);
        assertThat(node.metrics().linksClosed(LinkCloseReason.PEER_CLOSED)).isEqualTo(nodeHearsNothing ? 0 : 1);
        Response refused = alice.request(ECHO, body("during the cut")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(refused.errorCode()).as(refused.toString()).isEqualTo(ClusterErrors.NO_NODE.code());
        await("the node dials gate-1 again, into the cut").atMost(WAIT)
                .until(() -> proxy.accepted() > acceptedBefore);
        assertEchoes(bob, "during the cut");
        assertThat(other.linkedNodes()).contains(node.nodeId());
        long otherAnsweredInTheCut = otherLoad.answered.get();
        await("gate-2's load goes on").atMost(WAIT).until(() -> otherLoad.answered.get() > otherAnsweredInTheCut);

        proxy.heal();
        // The dial made during the cut got nothing back: the node gives it up when its time to authenticate is
        // up, and dials again, through now.
        stepPast(LinkSettings.defaults().authTimeout(), bob);
        await("gate-1 links the node again").atMost(WAIT).until(() -> cutOff.linkedNodes().contains(node.nodeId()));
        assertThat(node.metrics().linksClosed(LinkCloseReason.AUTH_TIMEOUT)).isEqualTo(1);
        assertEchoes(alice, "after");
        assertEchoes(bob, "after");
        long cutOffAnsweredAfter = cutOffLoad.answered.get();
        await("gate-1's load is answered again").atMost(WAIT)
                .until(() -> cutOffLoad.answered.get() > cutOffAnsweredAfter);
        cutOffLoad.stopAndAwaitEveryEnd(WAIT);
        otherLoad.stopAndAwaitEveryEnd(WAIT);
        System.out.println(cutOffLoad.summary("partition " + way + ", gate-1 (cut off)"));
        System.out.println(otherLoad.summary("partition " + way + ", gate-2 (not)"));
        for (RequestLoad load : new RequestLoad[] {cutOffLoad, otherLoad}) {
            assertThat(load.hung()).as(load.toString()).isZero();
            assertThat(load.connectionClosed.get()).as(load.toString()).isZero();
            assertThat(load.otherFailures.get()).as(load.toString()).isZero();
        }
        assertThat(otherLoad.failedWithACode()).as(otherLoad.toString()).isZero();
        assertThat(cutOffLoad.failedWithCode(ClusterErrors.NODE_LOST.code())
                + cutOffLoad.failedWithCode(ClusterErrors.NO_NODE.code())).as(cutOffLoad.toString())
                .isEqualTo(cutOffLoad.failedWithACode()).isPositive();
        assertThat(alice.isConnected()).isTrue();
        assertThat(bob.isConnected()).isTrue();
        assertThat(other.metrics().linksClosed(LinkCloseReason.PEER_SILENT)).isZero();
    }

    /**
     * Awaits {@code done}, moving the ticker one more step each time a check had its chance and it did not hold: a
     * frame sent just before the cut may land after the first steps and restart a link's silence.
     */
    private void stepUntil(String what, BooleanSupplier done, SwitchboardClient throughOtherGate) throws Exception {
        for (Duration moved = Duration.ZERO; ; moved = moved.plus(STEP)) {
            try {
                await(what).atMost(CHECKS_RAN).until(done::getAsBoolean);
                return;
            } catch (ConditionTimeoutException notYet) {
                assertThat(moved).as(what + ", ticker moved by " + moved).isLessThan(DEAD_AFTER);
                step(throughOtherGate);
            }
        }
    }

    /** {@value #LOAD_WINDOW} requests kept open through a client of the gate until the test stops them. */
    private RequestLoad load(ClusterGate gate) throws Exception {
        RequestLoad load = cluster.closeLater(new RequestLoad(ECHO, n -> "{\"m\":\"" + n + "\"}", LOAD_WINDOW));
        return load.start(cluster.client(gate));
    }

    /** Moves the ticker past {@code span} a step at a time. */
    private void stepPast(Duration span, SwitchboardClient throughOtherGate) throws Exception {
        for (Duration moved = Duration.ZERO; moved.compareTo(span) <= 0; moved = moved.plus(STEP)) {
            step(throughOtherGate);
        }
    }

    /** Moves the ticker one step, then proves gate-2's link alive at the new time with an echo through it. */
    private void step(SwitchboardClient throughOtherGate) throws Exception {
        ticker.advance(STEP);
        assertEchoes(throughOtherGate, "step");
    }

    private static void assertEchoes(SwitchboardClient client, String text) throws Exception {
        Response answer = client.request(ECHO, body(text)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(answer.isError()).as(answer.toString()).isFalse();
        assertThat(Json.MAPPER.readTree(answer.body()).path("m").asText()).isEqualTo(text);
    }

    private static JsonNode body(String text) {
        return Json.MAPPER.createObjectNode().put("m", text);
    }
}
