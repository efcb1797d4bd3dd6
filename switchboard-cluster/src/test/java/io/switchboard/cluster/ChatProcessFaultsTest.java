package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;
import io.switchboard.testing.ExternalPrograms;
import io.switchboard.testing.FreePort;
import io.switchboard.testing.PostgresServer;
import io.switchboard.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Chat accounting under kill -9 of a gate and of a chat node (issue 15): two gates and two chat nodes, each a child
 * JVM ({@link ClusterProcessMain}); the chat store on a real PostgreSQL, the session directory on a real Redis,
 * ZooKeeper in this JVM. Senders on both gates keep chat messages going to bob, who stays connected to the gate that
 * survives (the killed one is the gate that relays the nodes' pushes to him). Every message acknowledged to its
 * sender is in the database and reached bob: live, or (a node killed before it pushed) by a pull after the fault.
 * Every send that was not acknowledged failed with a code or the close of its connection; none hung; the
 * survivors' threads and memory are back where they were.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ChatProcessFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);
    private static final Duration CLIENT_TIMEOUT = REQUEST_TIMEOUT.plusSeconds(5);
    private static final String LINK_SECRET = "chat-process-faults-link-secret-77b1";
    private static final String CHAT_SECRET = "chat-process-faults-token-secret-of-32-bytes";
    private static final String ROOT = "/chat-faults";
    private static final int SENDERS_PER_GATE = 2;
    private static final int WINDOW = 2;

    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    /** Each message's text is its client id, so acknowledged, stored and delivered messages compare by it. */
    private final RequestLoad sends = closeLater(new RequestLoad(ChatRoutes.SEND,
            n -> "{\"to\":\"bob\",\"text\":\"m-" + n + "\",\"clientId\":\"m-" + n + "\"}", WINDOW));
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private final Map<SwitchboardClient, String> senders = new LinkedHashMap<>();
    private PostgresServer postgres;
    private String database;
    private EmbeddedZooKeeperServer zooKeeper;
    private final List<ChildProcess> gates = new ArrayList<>();
    private final List<ChildProcess> nodes = new ArrayList<>();
    private SwitchboardClient bob;
    /** The gate bob is connected to, and the other one, which relays the nodes' pushes to him. */
    private ChildProcess bobGate;
    private ChildProcess relayGate;

    @BeforeEach
    void startCluster() throws Exception {
        Path bin = PostgresServer.findBinaries();
        if (bin == null) {
            ExternalPrograms.missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb and postgres)");
        }
        postgres = closeLater(PostgresServer.start(bin));
        database = postgres.createDatabase();
        RedisServer redis = closeLater(RedisServer.start());
        Path zooKeeperData = Files.createTempDirectory("switchboard-chat-faults-zk-");
        zooKeeper = closeLater(EmbeddedZooKeeperServer.builder().port(FreePort.next()).dataDirectory(zooKeeperData)
                .tickTime(Duration.ofMillis(500)).build().start());
        // The first chat node creates the schema alone; then the rest start together.
        nodes.add(start("chat-node", "chat-1", database).awaitReady(WAIT));
        nodes.add(start("chat-node", "chat-2", database));
        gates.add(start("chat-gate", "gate-1", redis.uri(), "chat-faults:"));
        gates.add(start("chat-gate", "gate-2", redis.uri(), "chat-faults:"));
        for (ChildProcess child : List.of(nodes.get(1), gates.get(0), gates.get(1))) {
            child.awaitReady(WAIT);
        }

        String bobAccount = "{\"name\":\"bob\",\"password\":\"bob-secret\"}";
        SwitchboardClient setup = client(gates.get(0));
        String bobId = await("the chat nodes are linked").atMost(WAIT)
                .until(() -> request(setup, ChatRoutes.REGISTER, bobAccount), r -> !r.isError())
                .json().get("userId").asText();
        // A node relays its pushes to a user through the gate its link list picks by user id (NodeRuntime.callGate):
        // bob sits on the other gate, and the gate test kills the relay, so a push it drops would be a lost delivery.
        relayGate = relayOf(bobId);
        bobGate = gates.get(1 - gates.indexOf(relayGate));
        bob = client(bobGate);
        bob.onPush(ChatRoutes.ON_MESSAGE, push -> delivered.add(push.json().get("text").asText()));
        ok(bob, ChatRoutes.LOGIN, bobAccount);
        int n = 0;
        for (ChildProcess gate : gates) {
            for (int i = 0; i < SENDERS_PER_GATE; i++) {
                SwitchboardClient sender = client(gate);
                String account = "{\"name\":\"sender" + (++n) + "\",\"password\":\"sender-secret\"}";
                ok(sender, ChatRoutes.REGISTER, account);
                ok(sender, ChatRoutes.LOGIN, account);
                senders.put(sender, nodeOf(sender));
            }
        }
        senders.keySet().forEach(sends::start);
        awaitAcknowledged(100);
    }

    @AfterEach
    void tearDown() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            try {
                closeable.close();
            } catch (Exception e) {
                // go on stopping the rest
            }
        }
    }

    /** The gate a node picks to relay a call for user {@code uid}: by its hash over the gates sorted by node id. */
    private ChildProcess relayOf(String uid) throws Exception {
        try (Registry registry = ZooKeeperRegistry.builder(zooKeeper.connectString()).root(ROOT)
                .sessionTimeout(Duration.ofSeconds(10)).build()) {
            List<NodeInfo> byNodeId = registry.nodes().stream().filter(n -> n.id().startsWith("gate-"))
                    .sorted(Comparator.comparingInt(NodeInfo::nodeId)).toList();
            assertThat(byNodeId).hasSize(gates.size());
            String relay = byNodeId.get(Math.floorMod(uid.hashCode(), byNodeId.size())).id();
            return gates.stream().filter(g -> g.id().equals(relay)).findFirst().orElseThrow();
        }
    }

    private <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    private ChildProcess start(String role, String id, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(role, zooKeeper.connectString(), ROOT, id));
        args.addAll(List.of(more));
        return closeLater(ChildProcess.start(id, Map.of(LinkSecurity.SECRET_ENV, LINK_SECRET,
                        ClusterProcessMain.CHAT_SECRET_ENV, CHAT_SECRET),
                List.of("-D" + ClusterProcessMain.REQUEST_TIMEOUT + "=" + REQUEST_TIMEOUT.toSeconds() + "s"),
                args.toArray(String[]::new)));
    }

    private SwitchboardClient client(ChildProcess gate) throws Exception {
        return gate.connectClient(CLIENT_TIMEOUT, closeables::add);
    }

    private static Response request(SwitchboardClient client, String route, String body) throws Exception {
        return client.request(route, Json.MAPPER.readTree(body)).get(30, TimeUnit.SECONDS);
    }

    private static JsonNode ok(SwitchboardClient client, String route, String body) throws Exception {
        Response response = request(client, route, body);
        assertThat(response.isError()).as("%s %s -> %s", route, body, response).isFalse();
        return response.json();
    }

    private static String nodeOf(SwitchboardClient client) throws Exception {
        return ok(client, "chat.test.node", "{}").get("node").asText();
    }

    private void awaitAcknowledged(long more) {
        long now = sends.answered.get();
        await("sends acknowledged").atMost(WAIT).until(() -> sends.answered.get() >= now + more);
    }

    /** Every message in bob's conversations, by a pull from the start: what a client syncs after a reconnect. */
    private Set<String> synced() throws Exception {
        Set<String> texts = new HashSet<>();
        for (JsonNode conversation : ok(bob, ChatRoutes.CONVERSATIONS, "{}").get("conversations")) {
            long after = 0;
            boolean more = true;
            while (more) {
                JsonNode page = ok(bob, ChatRoutes.PULL, "{\"conversation\":\""
                        + conversation.get("conversation").asText() + "\",\"afterSeq\":" + after + ",\"limit\":100}");
                for (JsonNode m : page.get("messages")) {
                    texts.add(m.get("text").asText());
                    after = m.get("seq").asLong();
                }
                more = page.get("more").asBoolean();
            }
        }
        return texts;
    }

    /** After recovery: the accounting of every send, and no acknowledged message lost. */
    private void assertAccounted(String fault, String memory, boolean bobDeliveredLive) throws Exception {
        sends.stopAndAwaitEveryEnd(CLIENT_TIMEOUT.plus(WAIT));
        Set<String> acknowledged = ChatLedger.acknowledged(sends);
        Set<String> stored = ChatLedger.stored(database);
        Set<String> synced = synced();
        Set<String> deliveredOrSynced = new HashSet<>(delivered);
        deliveredOrSynced.addAll(synced);
        Set<String> storedAcknowledged = new HashSet<>(stored);
        storedAcknowledged.retainAll(acknowledged);
        Set<String> deliveredAcknowledged = new HashSet<>(deliveredOrSynced);
        deliveredAcknowledged.retainAll(acknowledged);
        System.out.println(sends.summary(fault) + " | chat acknowledged " + acknowledged.size() + " | stored "
                + storedAcknowledged.size() + " (+" + (stored.size() - storedAcknowledged.size())
                + " unacknowledged) | delivered live " + delivered.size() + ", delivered or synced "
                + deliveredAcknowledged.size() + memory);

        assertThat(sends.hung()).as("%s", sends).isZero();
        assertThat(sends.otherFailures).as("%s", sends).hasValue(0);
        assertThat(sends.maxWait()).as("every send ends within the request timeout").isLessThan(CLIENT_TIMEOUT);
        assertThat(sends.sent.get() - sends.answered.get())
                .as("every send not acknowledged failed with a code or a close")
                .isEqualTo(sends.failedWithACode() + sends.connectionClosed.get());
        assertThat(bob.isConnected()).as("bob stayed connected").isTrue();
        assertThat(storedAcknowledged).as("acknowledged == stored: no acknowledged message is lost")
                .isEqualTo(acknowledged);
        assertThat((long) (stored.size() - storedAcknowledged.size()))
                .as("a stored message that was not acknowledged is one whose send failed")
                .isLessThanOrEqualTo(sends.sent.get() - sends.answered.get());
        assertThat(deliveredAcknowledged).as("delivered-or-synced == acknowledged").isEqualTo(acknowledged);
        assertThat(delivered).as("only stored messages are delivered").isSubsetOf(stored);
        if (bobDeliveredLive) {
            assertThat(delivered).as("bob, connected all along, got every acknowledged message live")
                    .containsAll(acknowledged);
        }
    }

    @Test
    void aGateKilledUnderChatLoadLosesNoAcknowledgedMessage() throws Exception {
        List<ChildProcess> survivors = List.of(bobGate, nodes.get(0), nodes.get(1));
        Map<ChildProcess, SurvivorBaseline> before = SurvivorBaseline.of(survivors);

        relayGate.kill();
        await("the killed gate's senders see their connection close").atMost(WAIT).until(() -> senders.keySet()
                .stream().filter(SwitchboardClient::isConnected).count() == SENDERS_PER_GATE);
        awaitAcknowledged(100);
        String figures = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertAccounted("gate kill -9 (chat sends)", figures, true);
        assertThat(sends.failedWithCode).as("the surviving gate's senders get no error").isEmpty();
        assertThat(sends.connectionClosed.get()).as("the killed gate's sends in flight").isPositive();
    }

    @Test
    void aChatNodeKilledUnderChatLoadLosesNoAcknowledgedMessage() throws Exception {
        String doomed = senders.values().iterator().next();
        ChildProcess victim = nodes.stream().filter(n -> n.id().equals(doomed)).findFirst().orElseThrow();
        List<ChildProcess> survivors = new ArrayList<>(gates);
        nodes.stream().filter(n -> n != victim).forEach(survivors::add);
        Map<ChildProcess, SurvivorBaseline> before = SurvivorBaseline.of(survivors);

        victim.kill();
        awaitAcknowledged(100);
        for (SwitchboardClient sender : senders.keySet()) {
            assertThat(nodeOf(sender)).as("every sender goes on on the survivor").isNotEqualTo(doomed);
        }
        String figures = SurvivorBaseline.assertNoGrowth(before, WAIT);
        assertAccounted("chat node kill -9 (chat sends)", figures, false);
        assertThat(sends.connectionClosed).as("the gates stay: no client is closed").hasValue(0);
        assertThat(sends.failedWithCode.keySet()).as("codes of sends the dead node held")
                .isSubsetOf(ChildProcessFaultsTest.NODE_FAULT_CODES);
    }
}
