package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.time.ManualTicker;
import io.switchboard.protocol.Json;
import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.PartitionProxy;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process cut off from ZooKeeper alone, its links alive: one gate and one node in one JVM, each with a registry
 * client of its own, one of them reaching ZooKeeper through a {@link PartitionProxy} with a 2 s session, the other
 * directly. The cut lasts until the session has expired on the server, so the cluster no longer lists the process.
 * The registry is what the cluster trusts: a node it no longer lists takes no new sessions but keeps serving the ones
 * it has, and a gate it no longer lists is cut off by its nodes until it is registered again. The links' own times
 * run on a ticker that does not move, so no link dies of silence here; the session's expiry is ZooKeeper's, in real
 * time.
 */
class RegistryPartitionTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    /** The cut process's ZooKeeper session: the server expires it this long after the cut. */
    private static final Duration CUT_SESSION = Duration.ofSeconds(2);
    private static final Duration SESSION = Duration.ofSeconds(10);
    private static final String ECHO = "part.echo.say";
    private static final String ROOT = "/partition";

    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults()
            .withTicker(new ManualTicker()));
    private TestingServer zooKeeper;
    private PartitionProxy proxy;

    @BeforeEach
    void startZooKeeper() throws Exception {
        // A tick of 100 ms lets the server grant a 2 s session (at least 2 ticks, at most 20).
        zooKeeper = new TestingServer(new InstanceSpec(null, FreePort.next(), -1, -1, true, -1, 100, -1), true);
        proxy = new PartitionProxy(new InetSocketAddress("127.0.0.1", zooKeeper.getPort()));
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
        proxy.close();
        zooKeeper.close();
    }

    @Test
    void aNodeCutOffFromZooKeeperServesItsSessionsOnTakesNoNewOnesAndIsPlacedOnOnceBack() throws Exception {
        Running cut = start(false);
        RequestLoad load = cut.load();

        proxy.cut();
        await("the node's session expires").atMost(WAIT).until(() -> cut.gateRegistry().node("part-1").isEmpty());
        long answered = load.answered.get();
        await("its sessions are answered on").atMost(WAIT).until(() -> load.answered.get() > answered);
        assertEchoes(cut.alice(), "during the cut");
        assertThat(answer(cluster.client(cut.gate()), "a new session").errorCode())
                .isEqualTo(ClusterErrors.NO_NODE.code());

        proxy.heal();
        await("the node is registered again").atMost(WAIT)
                .until(() -> cut.gateRegistry().node("part-1").isPresent());
        assertEchoes(cluster.client(cut.gate()), "a new session after");
        assertEchoes(cut.alice(), "after");
        load.stopAndAwaitEveryEnd(WAIT);
        System.out.println(load.summary("node cut off from ZooKeeper"));
        assertThat(load.failedWithACode() + load.connectionClosed.get() + load.hung() + load.otherFailures.get())
                .as(load.toString()).isZero();
    }

    @Test
    void aGateCutOffFromZooKeeperIsCutOffByItsNodesUntilRegisteredAgainItsClientsConnectedThroughout()
            throws Exception {
        Running cut = start(true);
        RequestLoad load = cut.load();

        proxy.cut();
        await("the gate's session expires").atMost(WAIT).until(() -> cut.nodeRegistry().node("gate-1").isEmpty());
        await("the node cuts its link").atMost(WAIT).until(() -> cut.gate().linkedNodes().isEmpty());
        assertThat(answer(cut.alice(), "during the cut").errorCode()).isEqualTo(ClusterErrors.NO_NODE.code());

        proxy.heal();
        await("the gate is registered again").atMost(WAIT)
                .until(() -> cut.nodeRegistry().node("gate-1").isPresent());
        await("and linked again").atMost(WAIT).until(() -> cut.gate().linkedNodes().contains(cut.node().nodeId()));
        assertEchoes(cut.alice(), "after");
        assertEchoes(cluster.client(cut.gate()), "a new session after");
        long answered = load.answered.get();
        await("the load is answered again").atMost(WAIT).until(() -> load.answered.get() > answered);
        load.stopAndAwaitEveryEnd(WAIT);
        System.out.println(load.summary("gate cut off from ZooKeeper"));
        assertThat(load.hung() + load.connectionClosed.get() + load.otherFailures.get()).as(load.toString())
                .isZero();
        assertThat(load.failedWithCode(ClusterErrors.NO_NODE.code())
                + load.failedWithCode(ClusterErrors.NODE_LOST.code())).as(load.toString())
                .isEqualTo(load.failedWithACode()).isPositive();
        assertThat(cut.alice().isConnected()).isTrue();
    }

    /** A gate and a node linked and answering, a load through the gate; the gate's or the node's registry cut off. */
    private Running start(boolean gateCutOff) throws Exception {
        Registry gateRegistry = registry(gateCutOff);
        Registry nodeRegistry = registry(!gateCutOff);
        ClusterGate gate = cluster.gate("gate-1", gateRegistry, g -> g);
        ServiceNode node = cluster.node("part-1", "part", new Handlers().request(ECHO, ctx -> ctx.bodyBytes()),
                nodeRegistry, builder -> builder, started -> { });
        InProcessCluster.awaitLinked(gate, node);
        SwitchboardClient alice = cluster.client(gate);
        assertEchoes(alice, "before");
        return new Running(gate, node, gateRegistry, nodeRegistry, alice, load(gate));
    }

    private record Running(ClusterGate gate, ServiceNode node, Registry gateRegistry, Registry nodeRegistry,
                           SwitchboardClient alice, RequestLoad load) {
    }

    /** A registry client of its own; {@code cut}: through the proxy, with the short session. */
    private Registry registry(boolean cut) {
        String connect = cut ? "127.0.0.1:" + proxy.port() : zooKeeper.getConnectString();
        return cluster.closeLater(ZooKeeperRegistry.builder(connect).root(ROOT)
                .sessionTimeout(cut ? CUT_SESSION : SESSION).connectionTimeout(Duration.ofSeconds(1)).build());
    }

    /** Two requests kept open through a client of the gate until the test stops them. */
    private RequestLoad load(ClusterGate gate) throws Exception {
        RequestLoad load = cluster.closeLater(new RequestLoad(ECHO, n -> "{\"m\":\"" + n + "\"}", 2));
        load.start(cluster.client(gate));
        await().atMost(WAIT).until(() -> load.answered.get() > 0);
        return load;
    }

    private static Response answer(SwitchboardClient client, String text) throws Exception {
        JsonNode body = Json.MAPPER.createObjectNode().put("m", text);
        return client.request(ECHO, body).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void assertEchoes(SwitchboardClient client, String text) throws Exception {
        Response answer = answer(client, text);
        assertThat(answer.isError()).as(answer.toString()).isFalse();
        assertThat(Json.MAPPER.readTree(answer.body()).path("m").asText()).isEqualTo(text);
    }
}
