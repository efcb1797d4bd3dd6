package io.switchboard.cluster;

import io.switchboard.api.Handlers;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.api.errors.GateErrors;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Backpressure of cluster mode end to end, gate and node in one JVM: the gate caps each session's requests in flight,
 * and a node drops, unrun, a request whose gate has answered it with a timeout while it waited in the node's queue.
 */
class ClusterBackpressureTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final ManualTicker ticker = new ManualTicker();
    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults().withTicker(ticker)
            .withRequestTimeout(TIMEOUT));
    /** Answers of the held requests; completed by the test. */
    private final List<CompletableFuture<Object>> held = new CopyOnWriteArrayList<>();
    private final CountDownLatch unblock = new CountDownLatch(1);
    private final AtomicInteger blockedRuns = new AtomicInteger();

    @AfterEach
    void tearDown() throws Exception {
        unblock.countDown();
        cluster.close();
    }

    private ClusterGate gate(int maxPerSession) throws Exception {
        return cluster.gate("gate-1", gate -> gate.maxPendingPerSession(maxPerSession));
    }

    private ServiceNode node() throws Exception {
        Handlers handlers = new Handlers()
                .request("bp.slow.held", ctx -> {
                    CompletableFuture<Object> answer = new CompletableFuture<>();
                    held.add(answer);
                    return answer;
                })
                .request("bp.slow.block", ctx -> {
                    blockedRuns.incrementAndGet();
                    unblock.await();
                    return Json.MAPPER.createObjectNode().put("ran", true);
                });
        return cluster.node("bp-1", "bp", handlers, node -> node.workerThreads(1));
    }

    private SwitchboardClient client(ClusterGate gate) throws Exception {
        return cluster.client(gate);
    }

    private static void awaitLinked(ClusterGate gate, ServiceNode node) {
        InProcessCluster.awaitLinked(gate, node);
    }

    private static Response answer(CompletableFuture<Response> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aSessionPastItsInFlightCapIsAnsweredTooManyPendingAtOnceWhileOthersGoOn() throws Exception {
        ClusterGate gate = gate(2);
        awaitLinked(gate, node());
        SwitchboardClient alice = client(gate);
        SwitchboardClient bob = client(gate);

        CompletableFuture<Response> first = alice.request("bp.slow.held", Json.MAPPER.createObjectNode());
        CompletableFuture<Response> second = alice.request("bp.slow.held", Json.MAPPER.createObjectNode());
        await().atMost(WAIT).until(() -> held.size() == 2);
        Response third = answer(alice.request("bp.slow.held", Json.MAPPER.createObjectNode()));
        assertThat(third.isError()).isTrue();
        assertThat(third.errorCode()).isEqualTo(GateErrors.TOO_MANY_PENDING.code());

        CompletableFuture<Response> bobs = bob.request("bp.slow.held", Json.MAPPER.createObjectNode());
        await("another session is not held back").atMost(WAIT).until(() -> held.size() == 3);

        held.forEach(h -> h.complete(Json.MAPPER.createObjectNode().put("ok", 1)));
        for (CompletableFuture<Response> f : List.of(first, second, bobs)) {
            assertThat(answer(f).isError()).isFalse();
        }
        // The answered requests gave their slots back.
        CompletableFuture<Response> again = alice.request("bp.slow.held", Json.MAPPER.createObjectNode());
        await().atMost(WAIT).until(() -> held.size() == 4);
        held.get(3).complete(Json.MAPPER.createObjectNode().put("ok", 2));
        assertThat(answer(again).isError()).isFalse();
        assertThat(gate.metrics().requestsFailed(GateErrors.TOO_MANY_PENDING)).isEqualTo(1);
    }

    @Test
    void aRequestTheGateTimedOutWhileItWaitedInTheNodesQueueIsDroppedThereUnrun() throws Exception {
        ServiceNode node = node();
        ClusterGate gate = gate(16);
        awaitLinked(gate, node);
        // One worker: the first request blocks it, the second (another session's) waits in the node's queue.
        SwitchboardClient client = client(gate);
        SwitchboardClient other = client(gate);
        CompletableFuture<Response> blocking = client.request("bp.slow.block", Json.MAPPER.createObjectNode());
        await().atMost(WAIT).until(() -> blockedRuns.get() == 1);
        CompletableFuture<Response> queued = other.request("bp.slow.block", Json.MAPPER.createObjectNode());
        await().atMost(WAIT).until(() -> node.metrics().meters().get("switchboard_workers_waiting").gauge().value()
                == 1);

        ticker.advance(TIMEOUT);
        for (CompletableFuture<Response> f : List.of(blocking, queued)) {
            Response timedOut = answer(f);
            assertThat(timedOut.isError()).isTrue();
            assertThat(timedOut.errorCode()).isEqualTo(ClusterErrors.REQUEST_TIMEOUT.code());
        }

        unblock.countDown();
        await().atMost(WAIT).until(() -> node.metrics().requestsExpired() == 1);
        assertThat(blockedRuns).as("the queued request never ran").hasValue(1);
    }
}
