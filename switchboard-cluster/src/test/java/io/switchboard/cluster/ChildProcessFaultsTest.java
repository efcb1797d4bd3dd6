package io.switchboard.cluster;

import io.switchboard.api.errors.ClusterErrors;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults under load with real processes (issue 15): ZooKeeper, gates and demo nodes each in a child JVM, client
 * connections keeping requests open all along, and one part killed with SIGKILL. Every request ends within the
 * request timeout with an answer, an error code or the close of its connection (none hangs), service goes on by
 * itself, and the surviving processes end with no more threads, and no more heap or direct memory after a full GC
 * (within {@link HeapAndDirect}'s bound), than they had before the fault.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChildProcessFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(3);
    /** How long ZooKeeper stays frozen: well under the processes' 10 s ZooKeeper session timeout. */
    private static final Duration FREEZE = Duration.ofSeconds(4);
    /** The clients wait longer than the cluster's timeout: a request they give up on was left hanging. */
    private static final Duration CLIENT_TIMEOUT = REQUEST_TIMEOUT.plusSeconds(5);
    private static final String LINK_SECRET = "child-process-faults-link-secret-5c2a";
    private static final String ROOT = "/faults";
    private static final int CLIENTS = 3;
    private static final int WINDOW = 4;
    /** Codes a request may fail with when its node dies under it or while no node is linked. */
    static final Set<Long> NODE_FAULT_CODES = Set.of(ClusterErrors.NODE_LOST.code(),
            ClusterErrors.NODE_UNREACHABLE.code(), ClusterErrors.NO_NODE.code());

    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    private final RequestLoad load = closeLater(new RequestLoad("demo.test.node", n -> "{\"n\":" + n + "}", WINDOW));
    private int zooKeeperPort;
    private Path zooKeeperData;
    private ChildProcess zooKeeper;

    @AfterEach
    void tearDown() throws Exception {
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private void startZooKeeper() throws Exception {
        if (zooKeeperData == null) {
            zooKeeperPort = FreePort.next();
            zooKeeperData = Files.createTempDirectory("switchboard-faults-zk-");
            closeLater(() -> deleteTree(zooKeeperData));
        }
        zooKeeper = ChildProcess.start("zookeeper", Map.of(), List.of(), "zookeeper",
                Integer.toString(zooKeeperPort), zooKeeperData.toString()).awaitReady(WAIT);
    }

    private String zooKeeperAddress() {
        return "127.0.0.1:" + zooKeeperPort;
    }

    private ChildProcess start(String role, String id) throws Exception {
        return closeLater(ChildProcess.start(id, Map.of(LinkSecurity.SECRET_ENV, LINK_SECRET),
                List.of("-D" + ClusterProcessMain.REQUEST_TIMEOUT + "=" + REQUEST_TIMEOUT.toSeconds() + "s"),
                role, zooKeeperAddress(), ROOT, id));
    }

    private List<ChildProcess> startAll(String role, String... ids) throws Exception {
        List<ChildProcess> started = new ArrayList<>();
        for (String id : ids) {
            started.add(start(role, id));
        }
        for (ChildProcess child : started) {
            child.awaitReady(WAIT);
        }
        return started;
    }

    private SwitchboardClient client(ChildProcess gate) throws Exception {
        return gate.connectClient(CLIENT_TIMEOUT, closeables::add);
    }

    /** The node that answers the client's session, once the gate has one linked. */
    private static String nodeOf(SwitchboardClient client) {
        return await().atMost(WAIT).until(() -> {
            var answer = client.request("demo.test.node", Json.MAPPER.readTree("{}")).get(30, TimeUnit.SECONDS);
            return answer.isError() ? null : answer.json().get("node").asText();
        }, node -> node != null);
    }

    /** Clients of the gate with the load on them, until sessions sit on each of {@code nodes}. */
    private Map<SwitchboardClient, String> loadedClients(ChildProcess gate, String... nodes) throws Exception {
        Map<SwitchboardClient, String> placed = new HashMap<>();
        await().atMost(WAIT).until(() -> {
            SwitchboardClient client = client(gate);
            placed.put(client, nodeOf(client));
            return placed.size() >= CLIENTS && placed.values().containsAll(List.of(nodes));
        });
        placed.keySet().forEach(load::start);
        return placed;
    }

    /** ZooKeeper, a gate and a node, the load running on the gate; the gate's and node's baselines, gate first. */
    private Map<ChildProcess, SurvivorBaseline> zooKeeperGateAndNodeUnderLoad() throws Exception {
        startZooKeeper();
        ChildProcess gate = startAll("gate", "gate-1").get(0);
        ChildProcess node = startAll("node", "demo-1").get(0);
        loadedClients(gate, "demo-1");
        awaitAnswers(500);
        return SurvivorBaseline.of(List.of(gate, node));
    }

    /** Waits until the load has had {@code more} answers past now: service goes on. */
    private void awaitAnswers(long more) {
        long now = load.answered.get();
        await("the load is answered").atMost(WAIT).until(() -> load.answered.get() >= now + more);
    }

    private void assertNoHang(String fault, String memory) {
        load.stopAndAwaitEveryEnd(CLIENT_TIMEOUT.plus(WAIT));
        System.out.println(load.summary(fault) + memory);
        assertThat(load.hung()).as("%s", load).isZero();
        assertThat(load.otherFailures).as("%s", load).hasValue(0);
        assertThat(load.maxWait()).as("every request ends within the request timeout").isLessThan(CLIENT_TIMEOUT);
    }

    @Test
    void aNodeKilledUnderLoadFailsItsRequestsWithACodeAndItsSessionsMoveToTheSurvivor() throws Exception {
        startZooKeeper();
        ChildProcess gate = startAll("gate", "gate-1").get(0);
        List<ChildProcess> nodes = startAll("node", "demo-1", "demo-2");
        Map<SwitchboardClient, String> clients = loadedClients(gate, "demo-1", "demo-2");
        awaitAnswers(500);
        Map<ChildProcess, SurvivorBaseline> before = SurvivorBaseline.of(List.of(gate, nodes.get(1)));

        nodes.get(0).kill();
        awaitAnswers(500);
        for (SwitchboardClient client : clients.keySet()) {
            assertThat(nodeOf(client)).as("every session goes on on the survivor").isEqualTo("demo-2");
        }
        String memory = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertNoHang("node kill -9", memory);

        assertThat(load.connectionClosed).as("the gate stays: no client is closed").hasValue(0);
        assertThat(load.failedWithCode.keySet()).as("codes of requests the dead node held")
                .isSubsetOf(NODE_FAULT_CODES);
    }

    @Test
    void aGateKilledUnderLoadClosesItsClientsWhileTheOtherGateServesOn() throws Exception {
        startZooKeeper();
        List<ChildProcess> gates = startAll("gate", "gate-1", "gate-2");
        ChildProcess node = startAll("node", "demo-1").get(0);
        Map<SwitchboardClient, String> doomed = loadedClients(gates.get(0), "demo-1");
        loadedClients(gates.get(1), "demo-1");
        awaitAnswers(500);
        Map<ChildProcess, SurvivorBaseline> before = SurvivorBaseline.of(List.of(gates.get(1), node));

        gates.get(0).kill();
        await("the killed gate's clients see their connection close").atMost(WAIT)
                .until(() -> doomed.keySet().stream().noneMatch(SwitchboardClient::isConnected));
        awaitAnswers(500);
        String memory = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertNoHang("gate kill -9", memory);

        assertThat(load.failedWithCode).as("the surviving gate answers everything").isEmpty();
    }

    /**
     * ZooKeeper killed and restarted on its port, with its data directory (a crash) or empty (its disk lost). While
     * it is down the links carry every session. Restarted with its data, the processes' sessions resume; restarted
     * empty, their registrations are gone and they register again: until the gate is back in the registry, the node
     * takes it for gone and cuts its link, so requests in that window fail with NO_NODE, NODE_LOST or
     * NODE_UNREACHABLE (but none hangs).
     */
    @ParameterizedTest(name = "data kept: {0}")
    @ValueSource(booleans = {true, false})
    void zooKeeperKilledUnderLoadLeavesSessionsServedAndTheClusterIsRegisteredAfterItsRestart(boolean dataKept)
            throws Exception {
        Map<ChildProcess, SurvivorBaseline> before = zooKeeperGateAndNodeUnderLoad();
        ChildProcess gate = before.keySet().iterator().next();

        zooKeeper.kill();
        awaitAnswers(500);
        SwitchboardClient newcomer = client(gate);
        assertThat(nodeOf(newcomer)).as("a new session is placed from what the gate knows").isEqualTo("demo-1");
        assertThat(load.failedWithCode).as("the links carry the sessions while ZooKeeper is down").isEmpty();

        if (!dataKept) {
            deleteTree(zooKeeperData);
        }
        startZooKeeper();
        try (Registry registry = ZooKeeperRegistry.builder(zooKeeperAddress()).root(ROOT)
                .sessionTimeout(Duration.ofSeconds(10)).build()) {
            await("the gate and the node are registered").atMost(WAIT).until(() -> registry.nodes()
                    .stream().map(NodeInfo::id).toList().containsAll(List.of("gate-1", "demo-1")));
        }
        awaitAnswers(500);
        String memory = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertNoHang("ZooKeeper kill -9, restart " + (dataKept ? "with its data" : "empty"), memory);

        assertThat(load.connectionClosed).hasValue(0);
        if (dataKept) {
            assertThat(load.failedWithCode).as("sessions resume: nothing is cut").isEmpty();
        } else {
            assertThat(load.failedWithCode.keySet()).isSubsetOf(NODE_FAULT_CODES);
        }
    }

    /**
     * ZooKeeper frozen with SIGSTOP for {@link #FREEZE} (under the processes' 10 s session timeout, as a long GC pause
     * or a stalled disk would) and thawed with SIGCONT: the links carry every session all along, nothing waits on the
     * frozen registry, and afterwards the registry works again: a node started then is seen and used by the gate.
     */
    @Test
    void zooKeeperFrozenUnderLoadLeavesSessionsServedAndTheRegistryWorksAfterItThaws() throws Exception {
        Map<ChildProcess, SurvivorBaseline> before = zooKeeperGateAndNodeUnderLoad();
        ChildProcess gate = before.keySet().iterator().next();

        Signals.send("STOP", zooKeeper.process().pid());
        try {
            long now = load.answered.get();
            await("the load is answered while ZooKeeper is frozen").pollDelay(FREEZE).atMost(WAIT)
                    .until(() -> load.answered.get() >= now + 500);
            assertThat(nodeOf(client(gate))).as("a new session is placed from what the gate knows")
                    .isEqualTo("demo-1");
        } finally {
            Signals.send("CONT", zooKeeper.process().pid());
        }
        assertThat(load.failedWithCode).as("the links carry the sessions while ZooKeeper is frozen").isEmpty();
        startAll("node", "demo-2");
        Map<SwitchboardClient, String> placed = loadedClients(gate, "demo-1", "demo-2");
        assertThat(placed.values()).as("the gate learnt of the new node from the thawed registry").contains("demo-2");
        awaitAnswers(500);
        String memory = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertNoHang("ZooKeeper SIGSTOP " + FREEZE.toSeconds() + " s, SIGCONT", memory);

        assertThat(load.connectionClosed).hasValue(0);
        assertThat(load.failedWithCode).as("nothing is cut: the sessions resume").isEmpty();
    }

    private static void deleteTree(Path dir) throws Exception {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
