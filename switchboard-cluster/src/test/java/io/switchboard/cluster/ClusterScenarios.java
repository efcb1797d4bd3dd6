package io.switchboard.cluster;

import io.switchboard.cluster.protocol.ClusterSessionIds;

import io.switchboard.api.errors.ClusterErrors;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.demo.DemoApp;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.errors.HandlerErrors;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.registry.NodeState;
import io.switchboard.registry.Registry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Gates and demo nodes in one JVM, on loopback, found through a registry the subclass provides; clients are the
 * Java client over TCP.
 */
abstract class ClusterScenarios {
    static final String ADMIN_TOKEN = "test-admin-token";
    static final Duration WAIT = Duration.ofSeconds(20);
    /** Every cluster of the tests runs with authenticated links, as a real one would. */
    static final LinkSecurity LINK_SECURITY = LinkSecurity.secret("cluster-tests-link-secret-2f9c41");

    final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();
    final List<String> exits = new CopyOnWriteArrayList<>();
    LinkSettings settings = LinkSettings.defaults()
            .withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
            .withRequestTimeout(Duration.ofSeconds(30));

    /** The gates' resume grace period; resume is off unless a test turns it on. */
    Duration resumeGrace = Duration.ZERO;

    final java.util.Map<Object, Registry> registries = new java.util.concurrent.ConcurrentHashMap<>();

    /** A registry client for one process of the cluster. */
    abstract Registry registry();

    /** Whether each {@link #registry()} is the process's own, for the test to close. */
    abstract boolean registriesPerProcess();

    /** The client port of gate {@code id}: 0 picks a free one; a static topology names it. */
    int gatePort(String id) {
        return 0;
    }

    private Registry processRegistry() {
        Registry registry = registry();
        return registriesPerProcess() ? closeLater(registry) : registry;
    }

    @AfterEach
    void tearDownCluster() throws Exception {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    ClusterGate gate(String id) throws Exception {
        Registry registry = processRegistry();
        ClusterGate gate = closeLater(ClusterGate.builder(registry)
                .id(id)
                .gate(GateConfig.builder().host("127.0.0.1").port(gatePort(id)).resumeGrace(resumeGrace))
                .cluster("127.0.0.1", 0)
                .admin("127.0.0.1", 0)
                .adminToken(ADMIN_TOKEN)
                .linkSettings(settings)
                .linkSecurity(LINK_SECURITY)
                .exitHandler(status -> exits.add(id + ":" + status))
                .build()
                .start());
        registries.put(gate, registry);
        return gate;
    }

    ServiceNode node(String id, int version, AtomicReference<Double> memory) throws Exception {
        Handlers handlers = DemoApp.register(new Handlers())
                .request("demo.test.hang", ctx -> new CompletableFuture<>());
        ServiceNode node = closeLater(ServiceNode.builder(processRegistry(), "demo", handlers)
                .id(id)
                .version(version)
                .workerThreads(2)
                .memoryProbe(memory::get)
                .loadInterval(Duration.ZERO)
                .linkSettings(settings)
                .linkSecurity(LINK_SECURITY)
                .exitHandler(status -> exits.add(id + ":" + status))
                .build()
                .start());
        return node;
    }

    ServiceNode node(String id) throws Exception {
        return node(id, 1, new AtomicReference<>(0.1));
    }

    static void awaitReady(ServiceNode... nodes) {
        for (ServiceNode node : nodes) {
            await().atMost(WAIT).until(node::isReady);
        }
    }

    /** Waits until every gate has a link to every node and sees it ready in its registry view. */
    static void awaitLinked(List<ClusterGate> gates, List<ServiceNode> nodes) {
        awaitReady(nodes.toArray(ServiceNode[]::new));
        for (ClusterGate gate : gates) {
            for (ServiceNode node : nodes) {
                await().atMost(WAIT).until(() -> gate.linkedNodes().contains(node.nodeId()));
            }
        }
    }

    SwitchboardClient client(ClusterGate gate) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.port()))
                .requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    static Response answer(CompletableFuture<Response> future) throws Exception {
        return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Awaits a registry view (a gate's or node's) showing {@code nodes} nodes of {@code type}. */
    void awaitRegistered(Registry view, String type, int nodes) {
        await().atMost(WAIT).until(() -> view.nodes(type).size() == nodes);
    }

    // ---- scenarios ------------------------------------------------------------------------------------------

    @Test
    void requestsRouteAndRoomsSpanGates() throws Exception {
        ClusterGate gate1 = gate("gate-1");
        ClusterGate gate2 = gate("gate-2");
        ServiceNode node1 = node("demo-1");
        ServiceNode node2 = node("demo-2");
        awaitLinked(List.of(gate1, gate2), List.of(node1, node2));

        SwitchboardClient alice = client(gate1);
        SwitchboardClient bob = client(gate2);
        Response echo = answer(alice.request("demo.echo.say", json("{\"hello\":\"cluster\"}")));
        assertThat(echo.isError()).as("%s", echo).isFalse();
        assertThat(echo.json()).isEqualTo(json("{\"hello\":\"cluster\"}"));
        // The answer carried its request's hop timestamp on: the gate timed the trip out and the trip back.
        assertThat(gate1.metrics().hopTraces().recent()).isNotEmpty().first()
                .satisfies(trace -> assertThat(trace.hopMicros()).hasSize(2));

        List<Push> tells = new CopyOnWriteArrayList<>();
        bob.onPush("onTell", tells::add);
        bob.notify("demo.echo.tell", json("{\"n\":1}")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> tells.size() == 1);

        List<Push> aliceChat = new CopyOnWriteArrayList<>();
        List<Push> aliceJoins = new CopyOnWriteArrayList<>();
        List<Push> bobChat = new CopyOnWriteArrayList<>();
        alice.onPush("onChat", aliceChat::add);
        alice.onPush("onJoin", aliceJoins::add);
        bob.onPush("onChat", bobChat::add);
        assertThat(answer(alice.request("demo.room.join", json("{\"room\":\"lobby\",\"name\":\"alice\"}")))
                .isError()).isFalse();
        Response joined = answer(bob.request("demo.room.join", json("{\"room\":\"lobby\",\"name\":\"bob\"}")));
        assertThat(joined.json().get("members")).isEqualTo(json("[\"alice\",\"bob\"]"));
        await().atMost(WAIT).until(() -> aliceJoins.size() == 1);

        for (int i = 0; i < 20; i++) {
            (i % 2 == 0 ? alice : bob).notify("demo.room.say", json("{\"text\":\"m" + i + "\"}"));
        }
        await().atMost(WAIT).until(() -> aliceChat.size() == 20 && bobChat.size() == 20);
        assertThat(aliceChat.get(19).json().get("text").asText()).isIn("m18", "m19");
    }

    @Test
    void nodeLostMidRequestFailsFastWithItsCode() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("demo-1");
        awaitLinked(List.of(gate), List.of(node));
        SwitchboardClient client = client(gate);

        CompletableFuture<Response> hanging = client.request("demo.test.hang", json("{}"));
        await().atMost(WAIT).until(() -> node.sessionCount() == 1);
        long start = System.nanoTime();
        node.close();
        Response failed = answer(hanging);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(settings.requestTimeout());
        assertThat(failed.isError()).isTrue();
        assertThat(failed.errorCode()).isEqualTo(ClusterErrors.NODE_LOST.code());
        assertThat(gate.metrics().requestsFailed(ClusterErrors.NODE_LOST)).isEqualTo(1);

        Response none = answer(client.request("demo.echo.say", json("{}")));
        assertThat(none.errorCode()).isEqualTo(ClusterErrors.NO_NODE.code());
        Response reserved = answer(client.request("sys.session.closed", json("{}")));
        assertThat(reserved.errorCode()).isEqualTo(HandlerErrors.ROUTE_NOT_FOUND.code());
    }

    @Test
    void unansweredRequestTimesOut() throws Exception {
        settings = settings.withRequestTimeout(Duration.ofMillis(300));
        ClusterGate gate = gate("gate-1");
        ServiceNode node = node("demo-1");
        awaitLinked(List.of(gate), List.of(node));
        Response timedOut = answer(client(gate).request("demo.test.hang", json("{}")));
        assertThat(timedOut.errorCode()).isEqualTo(ClusterErrors.REQUEST_TIMEOUT.code());
    }

    @Test
    void placementPicksLowestMemoryAndRefusesAboveNinetyPercent() throws Exception {
        ClusterGate gate = gate("gate-1");
        AtomicReference<Double> busy = new AtomicReference<>(0.6);
        AtomicReference<Double> idle = new AtomicReference<>(0.2);
        ServiceNode busyNode = node("demo-busy", 1, busy);
        ServiceNode idleNode = node("demo-idle", 1, idle);
        awaitLinked(List.of(gate), List.of(busyNode, idleNode));

        SwitchboardClient first = client(gate);
        assertThat(answer(first.request("demo.echo.say", json("{}"))).isError()).isFalse();
        assertThat(idleNode.sessionCount()).isEqualTo(1);
        assertThat(busyNode.sessionCount()).isZero();

        idle.set(0.7);
        idleNode.publishLoad().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> gateView(gate, "demo-idle") == 0.7);
        SwitchboardClient second = client(gate);
        assertThat(answer(second.request("demo.echo.say", json("{}"))).isError()).isFalse();
        assertThat(busyNode.sessionCount()).isEqualTo(1);

        busy.set(0.95);
        idle.set(0.91);
        busyNode.publishLoad().get(10, TimeUnit.SECONDS);
        idleNode.publishLoad().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> gateView(gate, "demo-idle") == 0.91 && gateView(gate, "demo-busy") == 0.95);
        Response refused = answer(client(gate).request("demo.echo.say", json("{}")));
        assertThat(refused.errorCode()).isEqualTo(ClusterErrors.NODES_OVERLOADED.code());
        assertThat(answer(first.request("demo.echo.say", json("{\"sticky\":true}"))).isError())
                .as("placed sessions stay where they are").isFalse();
    }

    private double gateView(ClusterGate gate, String nodeId) {
        return gateRegistry(gate).node(nodeId).map(n -> n.load().memoryUsedRatio()).orElse(-1.0);
    }

    /** The registry the gate reads. */
    Registry gateRegistry(ClusterGate gate) {
        return registries.get(gate);
    }

    @Test
    void newerVersionDrainsTheOlderNodes() throws Exception {
        ClusterGate gate = gate("gate-1");
        ServiceNode v1 = node("demo-v1", 1, new AtomicReference<>(0.1));
        awaitLinked(List.of(gate), List.of(v1));
        SwitchboardClient old = client(gate);
        assertThat(answer(old.request("demo.echo.say", json("{}"))).isError()).isFalse();

        ServiceNode v2 = node("demo-v2", 2, new AtomicReference<>(0.5));
        awaitLinked(List.of(gate), List.of(v2));
        await().atMost(WAIT).until(v1::isDraining);
        await().atMost(WAIT).until(() -> gateRegistry(gate).node("demo-v1")
                .map(n -> n.state() == NodeState.DRAINING).orElse(false));
        await().atMost(WAIT).untilAsserted(() -> assertThat(gate.runtime().health().path("placeable").path("demo")
                .asInt()).as("/health counts the nodes new sessions may go to: not the draining one").isEqualTo(1));

        SwitchboardClient fresh = client(gate);
        assertThat(answer(fresh.request("demo.echo.say", json("{}"))).isError()).isFalse();
        assertThat(v2.sessionCount()).as("new sessions go to the new version").isEqualTo(1);
        assertThat(answer(old.request("demo.echo.say", json("{}"))).isError())
                .as("existing sessions finish on the old one").isFalse();
        assertThat(v1.sessionCount()).isEqualTo(1);
        assertThat(exits).isEmpty();

        old.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> exits.contains("demo-v1:0"));
        await().atMost(WAIT).until(v1::isClosed);
        assertThat(v2.isDraining()).isFalse();
    }

    @Test
    void nodesCallEachOtherThroughTheGates() throws Exception {
        ClusterGate gate1 = gate("gate-1");
        ClusterGate gate2 = gate("gate-2");
        ServiceNode node1 = node("demo-1");
        ServiceNode node2 = node("demo-2");
        awaitLinked(List.of(gate1, gate2), List.of(node1, node2));

        byte[] answer = node1.rpc(node2.nodeId(), "demo.echo.say", "{\"x\":1}".getBytes())
                .get(10, TimeUnit.SECONDS);
        assertThat(Json.MAPPER.readTree(answer)).isEqualTo(json("{\"x\":1}"));
        byte[] byType = node2.rpc("demo", "demo.echo.say", "[2]".getBytes()).get(10, TimeUnit.SECONDS);
        assertThat(Json.MAPPER.readTree(byType)).isEqualTo(json("[2]"));

        assertThat(node1.rpc("chat", "chat.room.say", new byte[0]))
                .failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(RemoteCallException.class,
                        e -> assertThat(e.code()).isEqualTo(ClusterErrors.NO_NODE.code()));
        assertThat(node1.rpc(node2.nodeId(), "demo.nope.none", new byte[0]))
                .failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(RemoteCallException.class,
                        e -> assertThat(e.code()).isEqualTo(HandlerErrors.ROUTE_NOT_FOUND.code()));
    }

    @Test
    void nodesPushToAnySessionThroughItsGate() throws Exception {
        ClusterGate gate1 = gate("gate-1");
        ClusterGate gate2 = gate("gate-2");
        ServiceNode node = node("demo-1");
        awaitLinked(List.of(gate1, gate2), List.of(node));
        SwitchboardClient client = client(gate2);
        List<Push> pushes = new CopyOnWriteArrayList<>();
        client.onPush("onNews", pushes::add);
        assertThat(answer(client.request("demo.echo.say", json("{}"))).isError()).isFalse();
        await().atMost(WAIT).until(() -> node.sessionCount() == 1);

        long sessionId = node1Session(node);
        node.push(sessionId, "onNews", "{\"n\":5}".getBytes()).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> pushes.size() == 1);
        assertThat(pushes.get(0).json()).isEqualTo(json("{\"n\":5}"));
    }

    @Test
    void roomMembersHearWhenTheRoomsNodeDies() throws Exception {
        ClusterGate gate1 = gate("gate-1");
        ClusterGate gate2 = gate("gate-2");
        ServiceNode node1 = node("demo-1");
        ServiceNode node2 = node("demo-2");
        awaitLinked(List.of(gate1, gate2), List.of(node1, node2));
        SwitchboardClient alice = client(gate1);
        SwitchboardClient bob = client(gate2);
        List<Push> aliceClosed = new CopyOnWriteArrayList<>();
        List<Push> bobClosed = new CopyOnWriteArrayList<>();
        alice.onPush("onRoomClosed", aliceClosed::add);
        bob.onPush("onRoomClosed", bobClosed::add);
        assertThat(answer(alice.request("demo.room.join", json("{\"room\":\"doomed\",\"name\":\"alice\"}")))
                .isError()).isFalse();
        assertThat(answer(bob.request("demo.room.join", json("{\"room\":\"doomed\",\"name\":\"bob\"}")))
                .isError()).isFalse();
        ServiceNode owner = node1.sessionCount() == 2 ? node1 : node2;
        assertThat(owner.sessionCount()).as("both members on the room's node").isEqualTo(2);

        owner.close();
        await().atMost(WAIT).until(() -> aliceClosed.size() == 1 && bobClosed.size() == 1);
        for (Push closed : List.of(aliceClosed.get(0), bobClosed.get(0))) {
            assertThat(closed.json().get("room").asText()).isEqualTo("doomed");
            assertThat(closed.json().get("reason").asText()).startsWith("node lost");
        }
        // The room lives again on the survivor.
        Response again = answer(alice.request("demo.room.join", json("{\"room\":\"doomed\",\"name\":\"alice\"}")));
        assertThat(again.json().get("members")).isEqualTo(json("[\"alice\"]"));
    }

    // ---- resume (DESIGN §11) --------------------------------------------------------------------------------

    /** Long enough that a test waiting for a grace period to end would fail. */
    private static final Duration LONG_GRACE = Duration.ofMinutes(10);

    /** The session {@code client} has on its gate: {@code sys.session} of its handshake answer. */
    private static JsonNode sessionOf(SwitchboardClient client) {
        return client.handshakeResponse().path("sys").path("session");
    }

    /** Closes the client's connection on the gate's side with no reason: a drop, as a lost network is. */
    private static void drop(ClusterGate gate, SwitchboardClient client) {
        long id = sessionOf(client).path("id").asLong();
        gate.server().channels().get(id).channel().close();
    }

    /** A client of {@code gate} that hands over {@code token} and {@code received} in its handshake's user. */
    private SwitchboardClient resuming(ClusterGate gate, String token, long received, List<Push> pushes)
            throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.port()))
                .user(Json.MAPPER.createObjectNode().put("resume", token).put("received", received))
                .requestTimeout(Duration.ofSeconds(60)).build();
        client.onPush(pushes::add);
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static long parkedBytes(ClusterGate gate) {
        return (long) gate.server().metrics().registry().get("switchboard.gate.sessions.parked.bytes").gauge().value();
    }

    /** Runs {@code send}, then waits for the parked sessions of {@code gate} to have buffered more. */
    private static void bufferedAt(ClusterGate gate, ThrowingRunnable send) throws Exception {
        long before = parkedBytes(gate);
        send.run();
        await().atMost(WAIT).until(() -> parkedBytes(gate) > before);
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    record ResumeCluster(ClusterGate gate1, ClusterGate gate2, ServiceNode node) {
    }

    /** Two gates with resume on and a long grace, and one demo node linked to both. */
    private ResumeCluster resumeCluster() throws Exception {
        resumeGrace = LONG_GRACE;
        ResumeCluster cluster = new ResumeCluster(gate("gate-1"), gate("gate-2"), node("demo-1"));
        awaitLinked(List.of(cluster.gate1(), cluster.gate2()), List.of(cluster.node()));
        return cluster;
    }

    @Test
    void aSessionResumesOnItsGateWithTheNodesPushesAndBroadcastsAndNoLeave() throws Exception {
        ResumeCluster cluster = resumeCluster();
        ClusterGate gate1 = cluster.gate1();
        ClusterGate gate2 = cluster.gate2();
        ServiceNode node = cluster.node();
        SwitchboardClient alice = client(gate1);
        SwitchboardClient bob = client(gate2);
        List<Push> aliceJoins = new CopyOnWriteArrayList<>();
        List<Push> bobHears = new CopyOnWriteArrayList<>();
        alice.onPush("onJoin", aliceJoins::add);
        bob.onPush(bobHears::add);
        assertThat(answer(alice.request("demo.room.join", json("{\"room\":\"r\",\"name\":\"alice\"}"))).isError())
                .isFalse();
        assertThat(answer(bob.request("demo.room.join", json("{\"room\":\"r\",\"name\":\"bob\"}"))).isError())
                .isFalse();
        await().atMost(WAIT).until(() -> aliceJoins.size() == 1);
        long aliceId = sessionOf(alice).path("id").asLong();
        String token = sessionOf(alice).path("resume").asText();
        assertThat(token).as("the token names its gate").startsWith(gate1.nodeId() + ":" + aliceId + ".");
        long received = alice.pushesReceived();

        drop(gate1, alice);
        await().atMost(WAIT).until(() -> gate1.server().parkedSessions() == 1);
        // A room broadcast and a node's push, both over the node's link to gate 1, kept there while parked.
        bufferedAt(gate1, () -> bob.notify("demo.room.say", json("{\"text\":\"while away\"}")));
        bufferedAt(gate1, () -> node.push(ClusterSessionIds.of(gate1.nodeId(), aliceId), "onNews",
                "{\"n\":1}".getBytes()).get(10, TimeUnit.SECONDS));

        List<Push> back = new CopyOnWriteArrayList<>();
        SwitchboardClient again = resuming(gate1, token, received, back);
        assertThat(sessionOf(again).path("resumed").asBoolean()).isTrue();
        assertThat(sessionOf(again).path("id").asLong()).isEqualTo(aliceId);
        await().atMost(WAIT).until(() -> back.size() == 2);
        assertThat(back.get(0).route()).isEqualTo("onChat");
        assertThat(back.get(0).json().get("text").asText()).isEqualTo("while away");
        assertThat(back.get(1).route()).isEqualTo("onNews");

        // Still in the room, on the same node session: no rejoin needed, and bob never saw alice leave.
        again.notify("demo.room.say", json("{\"text\":\"back\"}")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> bobHears.stream().anyMatch(p -> p.route().equals("onChat")
                && p.json().get("text").asText().equals("back")));
        assertThat(back).hasSize(3);
        assertThat(back.get(2).json().get("from").asText()).isEqualTo("alice");
        assertThat(bobHears).noneMatch(p -> p.route().equals("onLeave"));
        assertThat(node.sessionCount()).isEqualTo(2);
    }

    @Test
    void aResumeThroughAnotherGateFailsFastAndTheHolderReleasesTheSessionAtOnce() throws Exception {
        ResumeCluster cluster = resumeCluster();
        ClusterGate gate1 = cluster.gate1();
        ClusterGate gate2 = cluster.gate2();
        ServiceNode node = cluster.node();
        SwitchboardClient alice = client(gate1);
        SwitchboardClient carol = client(gate1);
        SwitchboardClient bob = client(gate2);
        List<Push> bobLeaves = new CopyOnWriteArrayList<>();
        bob.onPush("onLeave", bobLeaves::add);
        for (var member : List.of(java.util.Map.entry(alice, "alice"), java.util.Map.entry(carol, "carol"),
                java.util.Map.entry(bob, "bob"))) {
            Response joined = answer(member.getKey().request("demo.room.join",
                    json("{\"room\":\"r\",\"name\":\"" + member.getValue() + "\"}")));
            assertThat(joined.isError()).as("%s", joined).isFalse();
        }
        long carolId = sessionOf(carol).path("id").asLong();
        String aliceToken = sessionOf(alice).path("resume").asText();
        drop(gate1, alice);
        drop(gate1, carol);
        await().atMost(WAIT).until(() -> gate1.server().parkedSessions() == 2);

        // A forged token for carol is refused on gate 2, and its release request, which gate 1 checks, ends nothing.
        String forged = gate1.nodeId() + ":" + carolId + "."
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[16]);
        SwitchboardClient forger = resuming(gate2, forged, 0, new CopyOnWriteArrayList<>());
        assertThat(sessionOf(forger).path("resumed").asBoolean(true)).isFalse();

        SwitchboardClient elsewhere = resuming(gate2, aliceToken, 0, new CopyOnWriteArrayList<>());
        assertThat(sessionOf(elsewhere).path("resumed").asBoolean(true)).isFalse();
        assertThat(sessionOf(elsewhere).path("resume").asText()).startsWith(gate2.nodeId() + ":");
        // Released at once, not after the ten-minute grace: the node hears the session close, the room its leave.
        await().atMost(WAIT).until(() -> bobLeaves.size() == 1);
        assertThat(bobLeaves.get(0).json().get("name").asText()).isEqualTo("alice");
        assertThat(gate1.server().parkedSessions()).as("carol's session, which the forger named, is kept")
                .isEqualTo(1);
        assertThat(node.sessionCount()).isEqualTo(2);
    }

    /** The cluster-wide id of the one session on {@code node}, learned through a handler-visible route. */
    private long node1Session(ServiceNode node) throws Exception {
        // demo.echo.* does not reveal session ids; rebuild it from the gate's view instead.
        ClusterGate gate = (ClusterGate) closeables.stream().filter(c -> c instanceof ClusterGate g
                && g.server().channels().size() == 1).findFirst().orElseThrow();
        long gateSession = gate.server().channels().all().iterator().next().id();
        return ClusterSessionIds.of(gate.nodeId(), gateSession);
    }
}
