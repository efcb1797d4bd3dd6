package io.switchboard.cluster;

import io.switchboard.api.Handlers;
import io.switchboard.client.ConnectionClosedException;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

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

    private Load load(ClusterGate gate) throws Exception {
        Load load = new Load();
        for (int i = 0; i < CLIENTS; i++) {
            load.start(cluster.client(gate));
        }
        return load;
    }

    /** Clients each keeping {@value #WINDOW} requests open, and what became of every request. */
    private static final class Load {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong answered = new AtomicLong();
        final Map<Long, AtomicLong> failedWithCode = new ConcurrentHashMap<>();
        final AtomicLong connectionClosed = new AtomicLong();
        final AtomicLong otherFailures = new AtomicLong();
        final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        private final AtomicLong ids = new AtomicLong();
        private volatile boolean stopped;
        private volatile Throwable otherSample;

        void start(SwitchboardClient client) {
            for (int i = 0; i < WINDOW; i++) {
                next(client);
            }
        }

        private void next(SwitchboardClient client) {
            if (stopped || !client.isConnected()) {
                return;
            }
            String message = "\"m" + ids.incrementAndGet() + "\"";
            sent.incrementAndGet();
            client.request("load.store.put", message.getBytes(StandardCharsets.UTF_8)).whenComplete((r, e) -> {
                ended(message, r, e);
                next(client);
            });
        }

        private void ended(String message, Response response, Throwable error) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            if (response != null && !response.isError()) {
                acknowledged.add(message);
                answered.incrementAndGet();
            } else if (response != null) {
                failedWithCode.computeIfAbsent(response.errorCode(), c -> new AtomicLong()).incrementAndGet();
            } else if (cause instanceof ConnectionClosedException) {
                connectionClosed.incrementAndGet();
            } else {
                otherFailures.incrementAndGet();
                otherSample = cause;
            }
        }

        long ended() {
            return answered.get() + failedWithCode.values().stream().mapToLong(AtomicLong::get).sum()
                    + connectionClosed.get() + otherFailures.get();
        }

        /** Stops sending and waits until every request sent has ended: none may hang. */
        void stopAndAwaitEveryAnswer() {
            stopped = true;
            await().atMost(WAIT).until(() -> ended() == sent.get());
        }

        @Override
        public String toString() {
            return "sent " + sent + ", answered " + answered + ", failed with a code " + failedWithCode
                    + ", connection closed before the answer " + connectionClosed + ", other failures "
                    + otherFailures + (otherSample == null ? "" : " (" + otherSample + ")") + ", hung " + (sent.get() - ended());
        }
    }

    @Test
    void aGateShutDownUnderLoadEndsEveryRequestAndLosesNoAcknowledgedMessage() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("load-1");
        InProcessCluster.awaitLinked(gate, node);
        Load load = load(gate);
        await().atMost(WAIT).until(() -> load.answered.get() >= 500);

        gate.shutdown();
        load.stopAndAwaitEveryAnswer();
        System.out.println("gate shutdown under load: " + load);

        assertThat(load.otherFailures).hasValue(0);
        assertThat(stored).as("every acknowledged message was stored").containsAll(load.acknowledged);
        assertThat(gate.isClosed()).isTrue();
    }

    @Test
    void aNodeShutDownUnderLoadAnswersEveryRequestAndTheOtherNodeCarriesOn() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode leaving = node("load-1");
        ServiceNode staying = node("load-2");
        InProcessCluster.awaitLinked(gate, leaving, staying);
        Load load = load(gate);
        await().atMost(WAIT).until(() -> load.answered.get() >= 500);

        leaving.shutdown();
        long answeredAtShutdown = load.answered.get();
        await("the sessions go on on the other node").atMost(WAIT)
                .until(() -> load.answered.get() >= answeredAtShutdown + 500);
        load.stopAndAwaitEveryAnswer();
        System.out.println("node shutdown under load: " + load);

        assertThat(load.connectionClosed).as("the gate stays: every request gets an answer or a code").hasValue(0);
        assertThat(load.otherFailures).hasValue(0);
        assertThat(stored).as("every acknowledged message was stored").containsAll(load.acknowledged);
        assertThat(leaving.isClosed()).isTrue();
    }
}
