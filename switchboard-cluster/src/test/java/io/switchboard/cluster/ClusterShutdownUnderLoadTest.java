package io.switchboard.cluster;

import io.switchboard.api.Handlers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Graceful shutdown under load, in one JVM: client connections keep a window of requests open against a gate and
 * its nodes while a gate, or a node, takes the SIGTERM path ({@code shutdown()}: leave the registry, drain for the
 * grace, close). Every request a client sent ends (an answer, an error code, or, for a gate that closes its client
 * connections, the client's connection-closed failure): none hangs. Each request is a message the node stores
 * before it acknowledges, so every acknowledged message must be in the store.
 */
class ClusterShutdownUnderLoadTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final int CLIENTS = 4;
    private static final int WINDOW = 8;

    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults()
            .withRequestTimeout(Duration.ofSeconds(10)));
    /** What the nodes stored: the ids of the messages they acknowledged, or are about to. */
    private final Set<String> stored = ConcurrentHashMap.newKeySet();

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
    }

    private ClusterGate gate(String id) throws Exception {
        return cluster.gate(id, gate -> gate.shutdownGrace(GRACE));
    }

    private ServiceNode node(String id) throws Exception {
        Handlers handlers = new Handlers().request("load.store.put", ctx -> {
            String message = new String(ctx.bodyBytes(), StandardCharsets.UTF_8);
            stored.add(message);
            return Map.of("stored", message.length());
        });
        return cluster.node(id, "load", handlers, node -> node.workerThreads(2).shutdownGrace(GRACE));
    }

    private RequestLoad load(ClusterGate gate) throws Exception {
        RequestLoad load = cluster.closeLater(new RequestLoad("load.store.put", id -> "\"m" + id + "\"", WINDOW));
        for (int i = 0; i < CLIENTS; i++) {
            load.start(cluster.client(gate));
        }
        return load;
    }

    @Test
    void aGateShutDownUnderLoadEndsEveryRequestAndLosesNoAcknowledgedMessage() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("load-1");
        InProcessCluster.awaitLinked(gate, node);
        RequestLoad load = load(gate);
        await().atMost(WAIT).until(() -> load.answered.get() >= 500);

        gate.shutdown();
        load.stopAndAwaitEveryEnd(WAIT);
        System.out.println("gate shutdown under load: " + load);

        assertThat(load.otherFailures).hasValue(0);
        assertThat(load.hung()).isZero();
        assertThat(stored).as("every acknowledged message was stored").containsAll(load.acknowledged);
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void aNodeShutDownUnderLoadAnswersEveryRequestAndTheOtherNodeCarriesOn() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode leaving = node("load-1");
        ServiceNode staying = node("load-2");
        InProcessCluster.awaitLinked(gate, leaving, staying);
        RequestLoad load = load(gate);
        await().atMost(WAIT).until(() -> load.answered.get() >= 500);

        leaving.shutdown();
        long answeredAtShutdown = load.answered.get();
        await("the sessions go on on the other node").atMost(WAIT)
                .until(() -> load.answered.get() >= answeredAtShutdown + 500);
        load.stopAndAwaitEveryEnd(WAIT);
        System.out.println("node shutdown under load: " + load);

        assertThat(load.connectionClosed).as("the gate stays: every request gets an answer or a code").hasValue(0);
        assertThat(load.otherFailures).hasValue(0);
        assertThat(load.hung()).isZero();
        assertThat(stored).as("every acknowledged message was stored").containsAll(load.acknowledged);
        assertThat(leaving.isClosed()).isTrue();
    }
}
