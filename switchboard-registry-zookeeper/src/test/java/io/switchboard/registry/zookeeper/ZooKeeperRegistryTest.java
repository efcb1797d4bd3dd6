package io.switchboard.registry.zookeeper;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.RecordingRegistrationListener;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryContractTest;
import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.registry.RegistryEvent;
import io.switchboard.testing.FreePort;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.transaction.CuratorOp;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ZooKeeperRegistryTest extends RegistryContractTest {

    private static final AtomicInteger ROOTS = new AtomicInteger();
    private static TestingServer server;

    private String root;
    private CuratorFramework inspector;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(FreePort.next(), true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshRoot() throws Exception {
        // A root per test keeps the tests' clusters apart on the one server.
        root = "/test-" + ROOTS.incrementAndGet();
        inspector = closeLater(CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100)));
        inspector.start();
        assertThat(inspector.blockUntilConnected(30, TimeUnit.SECONDS)).isTrue();
    }

    @Override
    protected ZooKeeperRegistry newMember() {
        return member(root, NodeInfo.MAX_NODES);
    }

    @Override
    protected Registry newMember(int maxNodes) {
        return member(root + "-limited", maxNodes);
    }

    private ZooKeeperRegistry member(String root, int maxNodes) {
        return closeLater(ZooKeeperRegistry.builder(server.getConnectString())
                .root(root)
                .sessionTimeout(Duration.ofSeconds(20))
                .connectionTimeout(Duration.ofSeconds(10))
                .maxNodes(maxNodes)
                .build());
    }

    /** Holds ids 0 to 1022 with ephemeral znodes made in one transaction, as 1023 live processes would. */
    @Override
    protected void occupyAllNodeIds(Registry registry) throws Exception {
        List<CuratorOp> creates = new ArrayList<>();
        for (int n = 0; n < NodeInfo.MAX_NODES; n++) {
            creates.add(inspector.transactionOp().create().withMode(CreateMode.EPHEMERAL)
                    .forPath(root + "/ids/" + n, ("filler-" + n).getBytes(StandardCharsets.UTF_8)));
        }
        inspector.transaction().forOperations(creates);
        assertThat(inspector.getChildren().forPath(root + "/ids")).hasSize(NodeInfo.MAX_NODES);
    }

    @Test
    void theLastFreeNodeIdIsFoundAmongTheTakenOnes() throws Exception {
        Registry registry = newMember();
        occupyAllNodeIds(registry);
        inspector.delete().forPath(root + "/ids/517");

        Registration registration = get(registry.register(node("chat-1", "chat", 1)));

        assertThat(registration.nodeId()).isEqualTo(517);
        assertThat(failure(registry.register(node("chat-2", "chat", 1))).errorCode())
                .isEqualTo(RegistryErrors.NODE_IDS_EXHAUSTED);
    }

    @Test
    void nodesAndNodeIdsAreEphemeralZnodesOfTheSession() throws Exception {
        ZooKeeperRegistry registry = newMember();
        Registration registration = get(registry.register(node("chat-1", "chat", 1)));
        long session = registry.curator().getZookeeperClient().getZooKeeper().getSessionId();

        Stat nodeStat = new Stat();
        byte[] json = inspector.getData().storingStatIn(nodeStat).forPath(root + "/nodes/chat-1");
        Stat idStat = new Stat();
        byte[] holder = inspector.getData().storingStatIn(idStat).forPath(root + "/ids/" + registration.nodeId());

        assertThat(nodeStat.getEphemeralOwner()).isEqualTo(session);
        assertThat(idStat.getEphemeralOwner()).isEqualTo(session);
        assertThat(new String(holder, StandardCharsets.UTF_8)).isEqualTo("chat-1");
        assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"id\":\"chat-1\"", "\"type\":\"chat\"");

        get(registration.deregister());
        assertThat(inspector.checkExists().forPath(root + "/nodes/chat-1")).isNull();
        assertThat(inspector.checkExists().forPath(root + "/ids/" + registration.nodeId())).isNull();
    }

    @Test
    void sessionExpiryRemovesTheNodeAndTheRegistryRegistersItAgain() throws Exception {
        ZooKeeperRegistry member = newMember();
        Registry observer = newMember();
        EventLog log = new EventLog();
        closeLater(observer.watch(log));
        Registration filler = get(observer.register(node("filler", "chat", 1)));
        Registration registration = get(member.register(node("chat-1", "chat", 1)));
        RecordingRegistrationListener listener = new RecordingRegistrationListener();
        registration.addListener(listener);
        int nodeId = registration.nodeId();
        // A lower id is free when the node comes back: it must still keep its own.
        get(filler.deregister());
        assertThat(nodeId).isGreaterThan(filler.nodeId());
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));

        expireSession(member);

        await().atMost(WAIT).until(() -> log.typesOf("chat-1").equals(
                List.of(RegistryEvent.Type.ADDED, RegistryEvent.Type.REMOVED, RegistryEvent.Type.ADDED)));
        await().atMost(WAIT).until(() -> listener.calls.equals(List.of("lost", "restored")));
        assertThat(registration.nodeId()).isEqualTo(nodeId);
        assertThat(observer.node("chat-1").orElseThrow().nodeId()).isEqualTo(nodeId);
        assertThat(registration.isRegistered()).isTrue();

        // The registration works as before on the new session.
        get(registration.update(info -> info.withMetadata("after", "expiry")));
        await().atMost(WAIT).until(() -> observer.node("chat-1").orElseThrow().metadata().containsKey("after"));
    }

    /**
     * The session ends while register is between creating the node's znodes and listing its registration, so the
     * loss cannot find the new registration among the listed ones, yet its znodes died with the session. A listener
     * added as register completes, as a node adds its own, must still hear the loss, then the restoration.
     */
    @Test
    void aSessionLostWhileRegisteringIsReportedToTheNewRegistration() throws Exception {
        ZooKeeperRegistry member = newMember();
        Registration listed = get(member.register(node("chat-0", "chat", 1)));
        RecordingRegistrationListener listedListener = new RecordingRegistrationListener();
        listed.addListener(listedListener);
        CountDownLatch listening = new CountDownLatch(1);
        member.afterCreate(() -> {
            try {
                assertThat(listening.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                expireSession(member);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // The registry has handled the loss once the registration it had listed heard of it.
            await().atMost(WAIT).until(() -> listedListener.calls.contains("lost"));
        });
        RecordingRegistrationListener listener = new RecordingRegistrationListener();

        // Added on the writer thread as register completes: before the restore queued behind it can run.
        CompletableFuture<Registration> registering = member.register(node("chat-1", "chat", 1))
                .thenApply(registration -> {
                    registration.addListener(listener);
                    return registration;
                });
        listening.countDown();
        Registration registration = get(registering);

        await().atMost(WAIT).untilAsserted(() -> assertThat(listener.calls).containsExactly("lost", "restored"));
        await().atMost(WAIT).until(() -> inspector.checkExists().forPath(root + "/nodes/chat-1") != null);
        await().atMost(WAIT).until(() -> listedListener.calls.equals(List.of("lost", "restored")));
        assertThat(registration.isRegistered()).isTrue();
    }

    /**
     * The session ends again while a restore is between writing the node's znodes and reporting it restored: those
     * znodes died with the second session, so the registration must stay lost until the restore after the second
     * reconnect, not be reported restored by the first.
     */
    @Test
    void aSessionLostDuringARestoreKeepsTheRegistrationLostUntilTheNextRestore() throws Exception {
        ZooKeeperRegistry member = newMember();
        Registration registration = get(member.register(node("chat-1", "chat", 1)));
        RecordingRegistrationListener listener = new RecordingRegistrationListener();
        registration.addListener(listener);
        AtomicInteger restores = new AtomicInteger();
        CountDownLatch secondRestore = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        member.beforeRestored(() -> {
            try {
                if (restores.incrementAndGet() == 1) {
                    long losses = member.sessionLosses();
                    expireSession(member);
                    await().atMost(WAIT).until(() -> member.sessionLosses() > losses);
                } else {
                    secondRestore.countDown();
                    assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        expireSession(member);

        assertThat(secondRestore.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        assertThat(listener.calls).as("not restored by the restore whose znodes died").containsExactly("lost");
        release.countDown();
        await().atMost(WAIT).until(() -> listener.calls.equals(List.of("lost", "restored")));
        await().atMost(WAIT).until(() -> inspector.checkExists().forPath(root + "/nodes/chat-1") != null);
    }

    @Test
    void reRegistrationTakesANewNodeIdWhenTheOldOneWasTaken() throws Exception {
        ZooKeeperRegistry member = newMember();
        Registry observer = newMember();
        Registration registration = get(member.register(node("chat-1", "chat", 1)));
        RecordingRegistrationListener listener = new RecordingRegistrationListener();
        registration.addListener(listener);
        int oldNodeId = registration.nodeId();
        // Another process grabs the node id while this one is away: the inspector takes it over first.
        inspector.delete().forPath(root + "/ids/" + oldNodeId);
        inspector.create().withMode(CreateMode.EPHEMERAL).forPath(root + "/ids/" + oldNodeId, "intruder".getBytes());

        expireSession(member);

        await().atMost(WAIT).until(() -> listener.calls.contains("restored"));
        int newNodeId = registration.nodeId();
        assertThat(newNodeId).isNotEqualTo(oldNodeId);
        assertThat(listener.calls).containsExactly("lost", "changed " + oldNodeId + "->" + newNodeId, "restored");
        assertThat(registration.info().nodeId()).isEqualTo(newNodeId);
        await().atMost(WAIT).until(() -> observer.node("chat-1").map(NodeInfo::nodeId).orElse(-2) == newNodeId);
        assertThat(new String(inspector.getData().forPath(root + "/ids/" + newNodeId), StandardCharsets.UTF_8))
                .isEqualTo("chat-1");
    }

    @Test
    void aNodeDeletedByHandIsPutBack() throws Exception {
        ZooKeeperRegistry member = newMember();
        Registration registration = get(member.register(node("chat-1", "chat", 1)));
        EventLog log = new EventLog();
        closeLater(member.watch(log));
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));

        inspector.delete().forPath(root + "/nodes/chat-1");

        await().atMost(WAIT).until(() -> log.typesOf("chat-1").equals(
                List.of(RegistryEvent.Type.ADDED, RegistryEvent.Type.REMOVED, RegistryEvent.Type.ADDED)));
        assertThat(member.node("chat-1").orElseThrow().nodeId()).isEqualTo(registration.nodeId());
    }

    @Test
    void closeRemovesTheNodesAndRefusesFurtherUse() throws Exception {
        ZooKeeperRegistry leaving = newMember();
        Registry observer = newMember();
        EventLog log = new EventLog();
        closeLater(observer.watch(log));
        Registration registration = get(leaving.register(node("chat-1", "chat", 1)));
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));

        leaving.close();

        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.REMOVED, "chat-1", node -> true));
        assertThat(inspector.checkExists().forPath(root + "/ids/" + registration.nodeId())).isNull();
        assertThat(registration.isRegistered()).isFalse();
        assertThat(failure(registration.update(info -> info.withMetadata("k", "v"))).errorCode())
                .isEqualTo(RegistryErrors.REGISTRY_CLOSED);
        assertThat(failure(leaving.register(node("chat-2", "chat", 1))).errorCode())
                .isEqualTo(RegistryErrors.REGISTRY_CLOSED);
    }

    @Test
    void aZnodeThatIsNotANodeRecordIsIgnored() throws Exception {
        Registry registry = newMember();
        EventLog log = new EventLog();
        closeLater(registry.watch(log));
        inspector.create().forPath(root + "/nodes/garbage", "not json".getBytes(StandardCharsets.UTF_8));
        inspector.create().forPath(root + "/nodes/impostor",
                io.switchboard.registry.spi.NodeInfoJson.encode(node("someone-else", "chat", 1).withNodeId(3)));

        get(registry.register(node("chat-1", "chat", 1)));

        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));
        assertThat(registry.nodes()).extracting(NodeInfo::id).containsExactly("chat-1");
    }

    @Test
    void registriesOpensZooKeeperFromAUri() throws Exception {
        try (Registry registry = Registries.open("zk://" + server.getConnectString() + root + "?sessionTimeoutMs=20000")) {
            assertThat(registry).isInstanceOf(ZooKeeperRegistry.class);
            assertThat(((ZooKeeperRegistry) registry).root()).isEqualTo(root);
            get(registry.register(node("chat-1", "chat", 1)));
        }
        assertThat(inspector.getChildren().forPath(root + "/nodes")).isEmpty();
    }

    /**
     * ZooKeeper goes away while the node keeps publishing its load, as a ServiceNode does: the loss must still be
     * reported once the session is over (so the node stops minting snowflake ids before its node id can go to
     * another process), and the updates must not pile up behind writes waiting for ZooKeeper.
     */
    @Test
    void anOutageIsReportedAsLostInTimeAndUpdatesDoNotPileUp() throws Exception {
        Duration sessionTimeout = Duration.ofSeconds(2);
        // A tick of 100 ms lets the server grant a 2 s session (at most 20 ticks).
        TestingServer doomed = closeLater(new TestingServer(
                new InstanceSpec(null, FreePort.next(), -1, -1, true, -1, 100, -1), true));
        ZooKeeperRegistry registry = closeLater(ZooKeeperRegistry.builder(doomed.getConnectString())
                .root(root)
                .sessionTimeout(sessionTimeout)
                .connectionTimeout(Duration.ofSeconds(1))
                .build());
        Registration registration = get(registry.register(node("chat-1", "chat", 1)));
        RecordingRegistrationListener listener = new RecordingRegistrationListener();
        registration.addListener(listener);
        ScheduledExecutorService loadReporter = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger mostQueued = new AtomicInteger();
        AtomicInteger updates = new AtomicInteger();
        try {
            doomed.stop();
            loadReporter.scheduleAtFixedRate(() -> {
                registration.update(info -> info.withMetadata("load", Integer.toString(updates.incrementAndGet())));
                mostQueued.accumulateAndGet(registry.queuedWrites(), Math::max);
            }, 0, 200, TimeUnit.MILLISECONDS);

            await().atMost(sessionTimeout.plusSeconds(5)).until(() -> listener.calls.contains("lost"));
            // Let the reporter run on a while after the loss, too.
            int seen = updates.get();
            await().atMost(WAIT).until(() -> updates.get() >= seen + 10);
        } finally {
            loadReporter.shutdownNow();
        }
        assertThat(listener.calls).containsExactly("lost");
        assertThat(mostQueued.get()).as("writes queued at once, of " + updates.get() + " updates")
                .isLessThanOrEqualTo(2);
    }

    @Test
    void unreachableZooKeeperIsReportedAsUnavailable() {
        int nobody = FreePort.next();

        assertThatThrownBy(() -> ZooKeeperRegistry.builder("127.0.0.1:" + nobody)
                .connectionTimeout(Duration.ofMillis(500))
                .build())
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(RegistryErrors.REGISTRY_UNAVAILABLE));
    }

    /**
     * Ends the registry's session on the server, as a long network partition would: a second client joins the
     * session with its id and password and closes it, so the server drops the session's ephemeral znodes and the
     * registry's client hears that its session expired.
     */
    private static void expireSession(ZooKeeperRegistry registry) throws Exception {
        ZooKeeper zooKeeper = registry.curator().getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper killer = new ZooKeeper(server.getConnectString(), 20_000, event -> {
            if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zooKeeper.getSessionId(), zooKeeper.getSessionPasswd());
        try {
            assertThat(connected.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        } finally {
            killer.close();
        }
    }
}
