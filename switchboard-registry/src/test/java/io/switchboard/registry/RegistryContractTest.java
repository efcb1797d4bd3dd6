package io.switchboard.registry;

import io.switchboard.api.errors.RegistryErrors;

import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link Registry} must do, run against each implementation by a subclass. The ZooKeeper module runs
 * it too, through this module's test jar.
 */
public abstract class RegistryContractTest {

    protected static final Duration WAIT = Duration.ofSeconds(30);

    private final List<AutoCloseable> closeables = new ArrayList<>();

    /** A member of this test's cluster: every call gives a registry that sees the same nodes. */
    protected abstract Registry newMember() throws Exception;

    /** A member of a fresh cluster that hands out only {@code maxNodes} node ids. */
    protected abstract Registry newMember(int maxNodes) throws Exception;

    protected final <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @AfterEach
    void closeEverything() throws Exception {
        Collections.reverse(closeables);
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        closeables.clear();
    }

    protected static NodeInfo node(String id, String type, int version) {
        return NodeInfo.builder(id, type)
                .version(version)
                .address(NodeInfo.CLUSTER_ADDRESS, "127.0.0.1:10301")
                .metadata("host", "test")
                .build();
    }

    protected static <T> T get(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The error code a failed registry future failed with. */
    protected static SwitchboardException failure(CompletableFuture<?> future) {
        try {
            future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            assertThat(e.getCause()).isInstanceOf(SwitchboardException.class);
            return (SwitchboardException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError("the future did not fail in time", e);
        }
        throw new AssertionError("the future succeeded: " + future.join());
    }

    @Test
    void registeredNodeIsAddedForWatchersAndInTheSnapshotOfLaterOnes() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        EventLog early = new EventLog();
        closeLater(b.watch(early));

        Registration registration = get(a.register(node("chat-1", "chat", 1)));

        assertThat(registration.nodeId()).isBetween(0, NodeInfo.MAX_NODES - 1);
        assertThat(registration.info().nodeId()).isEqualTo(registration.nodeId());
        assertThat(registration.isRegistered()).isTrue();
        await().atMost(WAIT).until(() -> early.has(RegistryEvent.Type.ADDED, "chat-1",
                node -> node.nodeId() == registration.nodeId()));
        await().atMost(WAIT).until(() -> b.node("chat-1").isPresent());
        assertThat(b.nodes("chat")).extracting(NodeInfo::id).containsExactly("chat-1");
        assertThat(b.nodes("gate")).isEmpty();
        assertThat(b.node("chat-1").orElseThrow().address(NodeInfo.CLUSTER_ADDRESS)).contains("127.0.0.1:10301");

        EventLog late = new EventLog();
        closeLater(b.watch(late));
        await().atMost(WAIT).until(() -> late.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));
        assertThat(late.events).hasSize(1);
    }

    @Test
    void updateIsSeenAsUpdated() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        Registration registration = get(a.register(node("chat-1", "chat", 1)));
        EventLog log = new EventLog();
        closeLater(b.watch(log));
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));

        NodeInfo published = get(registration.update(
                info -> info.withState(NodeState.DRAINING).withLoad(new Load(0.5, 10, 2))));

        assertThat(published.state()).isEqualTo(NodeState.DRAINING);
        assertThat(published.nodeId()).isEqualTo(registration.nodeId());
        assertThat(registration.info()).isEqualTo(published);
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.UPDATED, "chat-1",
                node -> node.state() == NodeState.DRAINING && node.load().sessions() == 10));
        await().atMost(WAIT).until(() -> b.node("chat-1").map(NodeInfo::load).orElseThrow().rooms() == 2);
        assertThat(b.node("chat-1").orElseThrow().load().memoryUsedRatio()).isCloseTo(0.5, within(1e-9));
    }

    @Test
    void updateMayNotChangeIdentity() throws Exception {
        Registry a = newMember();
        Registration registration = get(a.register(node("chat-1", "chat", 1)));

        assertThatThrownBy(() -> registration.update(node("chat-2", "chat", 1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registration.update(node("chat-1", "chat", 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> registration.update(node("chat-1", "gate", 1)))
                .isInstanceOf(IllegalArgumentException.class);

        // Replacing the whole record is fine as long as the identity stays; the node id is the registry's.
        NodeInfo replaced = get(registration.update(node("chat-1", "chat", 1).withMetadata("pid", "42")));
        assertThat(replaced.nodeId()).isEqualTo(registration.nodeId());
        assertThat(replaced.metadata()).containsEntry("pid", "42");
    }

    @Test
    void membersGetDistinctNodeIdsEvenWhenRegisteringAtOnce() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        List<CompletableFuture<Registration>> futures = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Registry member = i % 2 == 0 ? a : b;
            futures.add(member.register(node("chat-" + i, "chat", 1)));
        }
        Set<Integer> nodeIds = new HashSet<>();
        for (CompletableFuture<Registration> future : futures) {
            nodeIds.add(get(future).nodeId());
        }

        assertThat(nodeIds).hasSize(12).allSatisfy(id -> assertThat(id).isBetween(0, 11));
        await().atMost(WAIT).until(() -> a.nodes().size() == 12 && b.nodes().size() == 12);
        assertThat(b.nodes()).extracting(NodeInfo::nodeId).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void nodeIdIsReusedAfterDeregister() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        EventLog log = new EventLog();
        closeLater(b.watch(log));
        Registration first = get(a.register(node("chat-1", "chat", 1)));
        Registration second = get(a.register(node("chat-2", "chat", 1)));
        assertThat(first.nodeId()).isNotEqualTo(second.nodeId());
        int freed = Math.min(first.nodeId(), second.nodeId());
        Registration leaving = first.nodeId() == freed ? first : second;

        get(leaving.deregister());

        assertThat(leaving.isRegistered()).isFalse();
        await().atMost(WAIT).until(() -> log.has(RegistryEvent.Type.REMOVED, leaving.info().id(), node -> true));
        assertThat(failure(leaving.update(info -> info.withState(NodeState.DRAINING))).errorCode())
                .isEqualTo(RegistryErrors.NOT_REGISTERED);
        get(leaving.deregister()); // idempotent

        Registration third = get(b.register(node("chat-3", "chat", 1)));
        assertThat(third.nodeId()).isEqualTo(freed);
    }

    @Test
    void duplicateIdIsRefusedAndFreesWhatItClaimed() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        Registration original = get(a.register(node("chat-1", "chat", 1)));

        SwitchboardException fromOther = failure(b.register(node("chat-1", "chat", 2)));
        SwitchboardException fromSame = failure(a.register(node("chat-1", "chat", 1)));

        assertThat(fromOther.errorCode()).isEqualTo(RegistryErrors.DUPLICATE_NODE);
        assertThat(fromOther.getMessage()).contains("chat-1");
        assertThat(fromSame.errorCode()).isEqualTo(RegistryErrors.DUPLICATE_NODE);
        // The refused attempts held no node id afterwards: the next node gets the next one.
        Registration next = get(b.register(node("chat-2", "chat", 1)));
        assertThat(next.nodeId()).isEqualTo(original.nodeId() + 1);
    }

    @Test
    void nodeIdsRunOutAtTheConfiguredLimitAndComeBack() throws Exception {
        Registry registry = newMember(3);
        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            registrations.add(get(registry.register(node("chat-" + i, "chat", 1))));
        }
        assertThat(registrations).extracting(Registration::nodeId).containsExactlyInAnyOrder(0, 1, 2);

        SwitchboardException refused = failure(registry.register(node("chat-3", "chat", 1)));
        assertThat(refused.errorCode()).isEqualTo(RegistryErrors.NODE_IDS_EXHAUSTED);
        assertThat(refused.code()).isEqualTo(1_005_000_001L);
        assertThat(refused.getMessage()).contains("3 node ids");

        get(registrations.get(1).deregister());
        Registration late = get(registry.register(node("chat-3", "chat", 1)));
        assertThat(late.nodeId()).isEqualTo(registrations.get(1).nodeId());
    }

    @Test
    void the1024thLiveNodeIsRefused() throws Exception {
        Registry registry = newMember();
        occupyAllNodeIds(registry);

        SwitchboardException refused = failure(registry.register(node("one-too-many", "chat", 1)));

        assertThat(refused.errorCode()).isEqualTo(RegistryErrors.NODE_IDS_EXHAUSTED);
        assertThat(refused.getMessage()).contains("1023 node ids");
        assertThat(RegistryErrors.NODE_IDS_EXHAUSTED.message()).contains("1023 live nodes");
    }

    /**
     * Makes {@value NodeInfo#MAX_NODES} nodes live, holding ids 0 to 1022. Registers them through the API; a subclass
     * may do it more cheaply through its store as long as the registry sees ordinary live nodes.
     */
    protected void occupyAllNodeIds(Registry registry) throws Exception {
        List<CompletableFuture<Registration>> futures = new ArrayList<>();
        for (int i = 0; i < NodeInfo.MAX_NODES; i++) {
            futures.add(registry.register(node("filler-" + i, "filler", 1)));
        }
        Set<Integer> nodeIds = new HashSet<>();
        for (CompletableFuture<Registration> future : futures) {
            nodeIds.add(get(future).nodeId());
        }
        assertThat(nodeIds).hasSize(NodeInfo.MAX_NODES);
        assertThat(Collections.max(nodeIds)).isEqualTo(NodeInfo.MAX_NODES - 1);
    }

    @Test
    void listenerCallsNeverOverlapAndKeepEachNodesOrder() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        int nodes = 4;
        int updates = 40;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        closeLater(pool::shutdownNow);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<String, Integer> lastSessions = new ConcurrentHashMap<>();
        List<String> disorder = new CopyOnWriteArrayList<>();
        closeLater(b.watch(event -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            // Linger a little so overlapping calls, were there any, would be caught in the act.
            for (int i = 0; i < 200; i++) {
                Thread.yield();
            }
            int sessions = event.node().load().sessions();
            Integer previous = lastSessions.put(event.node().id(), sessions);
            if (previous != null && sessions < previous) {
                disorder.add(event.node().id() + ": " + previous + " then " + sessions);
            }
            inFlight.decrementAndGet();
        }, pool));

        List<Registration> registrations = new ArrayList<>();
        for (int i = 0; i < nodes; i++) {
            registrations.add(get(a.register(node("chat-" + i, "chat", 1))));
        }
        ExecutorService writers = Executors.newFixedThreadPool(nodes);
        closeLater(writers::shutdownNow);
        List<CompletableFuture<Void>> done = new ArrayList<>();
        for (Registration registration : registrations) {
            done.add(CompletableFuture.runAsync(() -> {
                for (int s = 1; s <= updates; s++) {
                    int sessions = s;
                    registration.update(info -> info.withLoad(new Load(0.1, sessions, 0))).join();
                }
            }, writers));
        }
        get(CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)));

        await().atMost(WAIT).until(() -> lastSessions.size() == nodes
                && lastSessions.values().stream().allMatch(sessions -> sessions == updates));
        assertThat(maxInFlight.get()).isEqualTo(1);
        assertThat(disorder).isEmpty();
    }

    @Test
    void closedSubscriptionGetsNothingMore() throws Exception {
        Registry a = newMember();
        Registry b = newMember();
        EventLog closed = new EventLog();
        Subscription subscription = b.watch(closed);
        subscription.close();
        subscription.close(); // idempotent
        EventLog open = new EventLog();
        closeLater(b.watch(open));

        get(a.register(node("chat-1", "chat", 1)));

        await().atMost(WAIT).until(() -> open.has(RegistryEvent.Type.ADDED, "chat-1", node -> true));
        assertThat(closed.events).isEmpty();
    }

    @Test
    void versionWatcherFiresOnceForTheFirstServingNewerVersion() throws Exception {
        Registry registry = newMember();
        NodeInfo self = get(registry.register(node("chat-1", "chat", 1))).info();
        List<NodeInfo> newer = new CopyOnWriteArrayList<>();
        // Same-thread delivery for both the watcher and the barrier, so the barrier proves the watcher saw
        // everything registered before it.
        VersionWatcher watcher = closeLater(VersionWatcher.start(registry, self, Runnable::run, newer::add));
        EventLog barrier = new EventLog();
        closeLater(registry.watch(barrier, Runnable::run));

        get(registry.register(node("chat-2", "chat", 1)));          // same version
        get(registry.register(node("gate-1", "gate", 7)));          // other service
        Registration draining = get(registry.register(
                node("chat-3", "chat", 2).withState(NodeState.DRAINING))); // newer but leaving
        get(registry.register(node("marker-1", "marker", 1)));
        await().atMost(WAIT).until(() -> barrier.has(RegistryEvent.Type.ADDED, "marker-1", node -> true));
        assertThat(newer).isEmpty();
        assertThat(watcher.fired()).isFalse();

        get(draining.update(info -> info.withState(NodeState.SERVING)));
        await().atMost(WAIT).until(() -> newer.size() == 1);
        assertThat(newer.get(0).id()).isEqualTo("chat-3");
        assertThat(watcher.fired()).isTrue();

        get(registry.register(node("chat-4", "chat", 3)));
        get(registry.register(node("marker-2", "marker", 1)));
        await().atMost(WAIT).until(() -> barrier.has(RegistryEvent.Type.ADDED, "marker-2", node -> true));
        assertThat(newer).hasSize(1);
    }

    @Test
    void versionWatcherFiresForANewerVersionAlreadyOnline() throws Exception {
        Registry registry = newMember();
        get(registry.register(node("chat-2", "chat", 2)));
        await().atMost(WAIT).until(() -> registry.node("chat-2").isPresent());
        List<NodeInfo> newer = new CopyOnWriteArrayList<>();

        closeLater(VersionWatcher.start(registry, node("chat-1", "chat", 1), newer::add));

        await().atMost(WAIT).until(() -> newer.size() == 1);
        assertThat(newer.get(0).version()).isEqualTo(2);
    }

    /** Records events; safe to read from the test thread while the registry writes. */
    protected static final class EventLog implements RegistryListener {
        public final List<RegistryEvent> events = new CopyOnWriteArrayList<>();

        public EventLog() {
        }

        @Override
        public void onEvent(RegistryEvent event) {
            events.add(event);
        }

        public boolean has(RegistryEvent.Type type, String id, Predicate<NodeInfo> condition) {
            return events.stream().anyMatch(event -> event.type() == type && event.node().id().equals(id)
                    && condition.test(event.node()));
        }

        /** The event types seen for one node, in order. */
        public List<RegistryEvent.Type> typesOf(String id) {
            return events.stream().filter(event -> event.node().id().equals(id)).map(RegistryEvent::type).toList();
        }
    }
}
