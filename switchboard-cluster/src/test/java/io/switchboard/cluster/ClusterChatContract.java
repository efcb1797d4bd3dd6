package io.switchboard.cluster;

import io.switchboard.api.errors.ClusterErrors;

import io.switchboard.testing.RedisServerExtension;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lettuce.core.RedisURI;
import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.common.id.Snowflake;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.users.SessionDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat application in cluster mode (issue 5): two gates (token acceptor and web page) and two chat nodes sharing
 * one H2 database, users kept in a Redis session directory (a real redis-server). Gate 1 places sessions on the chat
 * node with the lowest node id and gate 2 on the highest, so users of different gates are on different nodes.
 */
abstract class ClusterChatContract {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final String SECRET = "cluster-chat-test-secret-of-32-bytes-at-least";
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();
    private static int tests;

    final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    final List<Client> clients = new CopyOnWriteArrayList<>();
    final LinkSettings settings = LinkSettings.defaults()
            .withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
            .withRequestTimeout(Duration.ofSeconds(30));
    String database;
    String prefix;
    ClusterGate gate1;
    ClusterGate gate2;
    ChatApp chatNode1;
    ChatApp chatNode2;

    /** A registry client for one process. */
    abstract Registry registry();

    @BeforeEach
    void startCluster() throws Exception {
        database = ChatConfig.h2MemoryUrl("cluster-chat-" + UUID.randomUUID());
        prefix = "chat-test-" + (++tests) + ":";
        gate1 = gate("gate-1", Comparator.comparingInt(NodeInfo::nodeId));
        gate2 = gate("gate-2", Comparator.comparingInt(NodeInfo::nodeId).reversed());
        node1 = node("chat-1");
        chatNode1 = chatOf;
        node2 = node("chat-2");
        chatNode2 = chatOf;
        for (ServiceNode node : List.of(node1, node2)) {
            await().atMost(WAIT).until(node::isReady);
            for (ClusterGate gate : List.of(gate1, gate2)) {
                await().atMost(WAIT).until(() -> gate.linkedNodes().contains(node.nodeId()));
            }
        }
    }

    @AfterEach
    void stopCluster() throws Exception {
        clients.forEach(Client::close);
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

    private Registry processRegistry() {
        Registry registry = registry();
        return registriesPerProcess() ? closeLater(registry) : registry;
    }

    abstract boolean registriesPerProcess();

    private ChatApp chat(int nodeId) {
        return closeLater(ChatApp.open(ChatConfig.builder().jdbcUrl(database).tokenSecret(SECRET).nodeId(nodeId)
                .passwordIterations(1_000).build()));
    }

    private SessionDirectory directory() {
        return closeLater(RedisSessionDirectory.connect(RedisURI.create(redis.uri()), prefix));
    }

    private ClusterGate gate(String id, Comparator<NodeInfo> preference) throws Exception {
        ChatApp chat = chat(0);
        return closeLater(ClusterGate.builder(processRegistry())
                .id(id)
                .gate(GateConfig.builder().host("127.0.0.1").port(0))
                .cluster("127.0.0.1", 0)
                .linkSettings(settings)
                .linkSecurity(ClusterScenarios.LINK_SECURITY)
                .placement((type, candidates) -> candidates.stream().min(preference).orElseThrow(
                        () -> new io.switchboard.common.error.SwitchboardException(ClusterErrors.NO_NODE)))
                .directory(directory())
                .acceptor(chat.acceptor())
                .httpFallback(chat.webPage())
                .exitHandler(status -> { })
                .build()
                .start());
    }

    private ChatApp chatOf;
    private ServiceNode node1;
    private ServiceNode node2;

    private ServiceNode node(String id) throws Exception {
        Handlers handlers = new Handlers();
        ServiceNode node = ServiceNode.builder(processRegistry(), "chat", handlers)
                .id(id)
                .workerThreads(2)
                .memoryProbe(() -> 0.1)
                .loadInterval(Duration.ZERO)
                .linkSettings(settings)
                .linkSecurity(ClusterScenarios.LINK_SECURITY)
                .exitHandler(status -> { })
                .build();
        // Snowflake ids from the registry's node id, as `switchboard service chat` does.
        chatOf = closeLater(ChatApp.open(ChatConfig.builder().jdbcUrl(database).tokenSecret(SECRET)
                .nodeIds(node::assignedNodeId).passwordIterations(1_000).build()));
        chatOf.register(handlers, node.users());
        return closeLater(node.start());
    }

    Client connect(ClusterGate gate, JsonNode user) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("ws://127.0.0.1:" + gate.port()))
                .user(user).requestTimeout(Duration.ofSeconds(60)).build();
        Client c = new Client(client);
        clients.add(c);
        client.connect().get(10, TimeUnit.SECONDS);
        return c;
    }

    static ObjectNode json(Object... fieldsAndValues) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            node.set((String) fieldsAndValues[i], Json.MAPPER.valueToTree(fieldsAndValues[i + 1]));
        }
        return node;
    }

    /** One connection: requests answered synchronously, pushes and the close reason recorded. */
    static final class Client {
        final SwitchboardClient client;
        final List<Push> pushes = new CopyOnWriteArrayList<>();
        final CompletableFuture<CloseReason> closed = new CompletableFuture<>();

        Client(SwitchboardClient client) {
            this.client = client;
            client.onPush(pushes::add);
            client.onClose(closed::complete);
        }

        JsonNode ok(String route, Object... fieldsAndValues) throws Exception {
            JsonNode body = json(fieldsAndValues);
            Response response = client.request(route, body).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(response.isError()).as("%s %s -> %s", route, body, response).isFalse();
            assertThat(response.json().path("code").asInt()).isEqualTo(200);
            return response.json();
        }

        List<JsonNode> pushes(String route) {
            List<JsonNode> result = new ArrayList<>();
            for (Push push : pushes) {
                if (push.route().equals(route)) {
                    result.add(push.json());
                }
            }
            return result;
        }

        void close() {
            client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join();
        }
    }

    @Test
    void usersOnTwoGatesAndTwoNodesChatLogInOnceAndSyncAfterReconnecting() throws Exception {
        Client setup = connect(gate1, null);
        setup.ok(ChatRoutes.REGISTER, "name", "ann", "password", "ann-secret");
        setup.ok(ChatRoutes.REGISTER, "name", "bob", "password", "bob-secret");
        setup.close();

        Client ann = connect(gate1, null);
        String annToken = ann.ok(ChatRoutes.LOGIN, "name", "ann", "password", "ann-secret").get("token").asText();
        Client bob = connect(gate2, null);
        String bobToken = bob.ok(ChatRoutes.LOGIN, "name", "bob", "password", "bob-secret").get("token").asText();
        assertThat(chatNode1.onlineUsers()).as("ann's node").isEqualTo(1);
        assertThat(chatNode2.onlineUsers()).as("bob's node").isEqualTo(1);

        // 1:1 across gates and nodes.
        JsonNode sent = ann.ok(ChatRoutes.SEND, "to", "bob", "text", "hi bob");
        String direct = sent.get("conversation").asText();
        // Ann's node issued the message id, under the node id the registry gave it (DESIGN §5).
        assertThat((Long.parseLong(sent.get("id").asText()) >> Snowflake.NODE_ID_SHIFT) & Snowflake.MAX_NODE_ID)
                .isEqualTo(node1.nodeId()).isNotEqualTo(node2.nodeId());
        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MESSAGE).size() == 1);
        assertThat(bob.pushes(ChatRoutes.ON_MESSAGE).get(0).get("text").asText()).isEqualTo("hi bob");

        // A group: the invitation and the messages reach the member on the other gate.
        String group = ann.ok(ChatRoutes.GROUP_CREATE, "name", "team", "members", List.of("bob"))
                .get("conversation").asText();
        await().atMost(WAIT).until(() -> bob.pushes(ChatRoutes.ON_MEMBER).size() == 1);
        bob.ok(ChatRoutes.SEND, "conversation", group, "text", "hello team");
        await().atMost(WAIT).until(() -> ann.pushes(ChatRoutes.ON_MESSAGE).size() == 1);
        assertThat(ann.pushes(ChatRoutes.ON_MESSAGE).get(0).get("text").asText()).isEqualTo("hello team");
        JsonNode members = ann.ok(ChatRoutes.GROUP_MEMBERS, "conversation", group).get("members");
        assertThat(members.findValuesAsText("name")).containsExactlyInAnyOrder("ann", "bob");
        members.forEach(m -> assertThat(m.get("online").asBoolean()).as(m.toString()).isTrue());

        // Ann logs in again on the other gate, with her token in the handshake: the first connection is kicked.
        Client ann2 = connect(gate2, json("token", annToken));
        assertThat(ann2.client.handshakeResponse().at("/user/code").asInt()).isEqualTo(200);
        assertThat(ann.closed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));

        // Bob goes away; ann writes to him (one resend with the same clientId); he comes back through gate 1.
        bob.close();
        await().atMost(WAIT).until(() -> !ann2.ok(ChatRoutes.GROUP_MEMBERS, "conversation", group).get("members")
                .findValues("online").stream().allMatch(JsonNode::asBoolean));
        for (int i = 1; i <= 3; i++) {
            ann2.ok(ChatRoutes.SEND, "to", "bob", "text", "missed " + i, "clientId", "m-" + i);
        }
        JsonNode resent = ann2.ok(ChatRoutes.SEND, "to", "bob", "text", "missed 3", "clientId", "m-3");
        assertThat(resent.get("duplicate").asBoolean()).isTrue();

        Client bobAgain = connect(gate1, json("token", bobToken));
        assertThat(bobAgain.client.handshakeResponse().at("/user/code").asInt()).isEqualTo(200);
        JsonNode conversations = bobAgain.ok(ChatRoutes.CONVERSATIONS).get("conversations");
        JsonNode directState = null;
        for (JsonNode c : conversations) {
            if (c.get("conversation").asText().equals(direct)) {
                directState = c;
            }
        }
        assertThat(directState).isNotNull();
        assertThat(directState.get("lastSeq").asLong()).isEqualTo(4);
        assertThat(directState.get("ackSeq").asLong()).isZero();
        // Pulled in pages of two from his cursor: every message once, in order.
        List<String> texts = new ArrayList<>();
        List<Long> seqs = new ArrayList<>();
        long after = directState.get("ackSeq").asLong();
        boolean more = true;
        while (more) {
            JsonNode page = bobAgain.ok(ChatRoutes.PULL, "conversation", direct, "afterSeq", after, "limit", 2);
            for (JsonNode m : page.get("messages")) {
                texts.add(m.get("text").asText());
                seqs.add(m.get("seq").asLong());
                after = m.get("seq").asLong();
            }
            more = page.get("more").asBoolean();
        }
        assertThat(seqs).containsExactly(1L, 2L, 3L, 4L);
        assertThat(texts).containsExactly("hi bob", "missed 1", "missed 2", "missed 3");
        bobAgain.ok(ChatRoutes.ACK, "conversation", direct, "seq", 4);
        assertThat(bobAgain.ok(ChatRoutes.PULL, "conversation", direct).get("messages").size()).isZero();

        // Back online, he gets pushes again, now on gate 1.
        ann2.ok(ChatRoutes.SEND, "to", "bob", "text", "welcome back");
        await().atMost(WAIT).until(() -> bobAgain.pushes(ChatRoutes.ON_MESSAGE).size() == 1);
        assertThat(bobAgain.pushes(ChatRoutes.ON_MESSAGE).get(0).get("seq").asLong()).isEqualTo(5);
    }

    @Test
    void aChatNodeCountsFailedLoginsByTheClientsAddressAsTheGateSawIt() throws Exception {
        Client setup = connect(gate1, null);
        setup.ok(ChatRoutes.REGISTER, "name", "ann", "password", "ann-secret");
        // Every client here is 127.0.0.1: guesses at other names add up against the address, on the node.
        for (int i = 0; i < ChatConfig.DEFAULT_LOGIN_FAILURES_PER_IP; i++) {
            Response wrong = connect(gate1, null).client.request(ChatRoutes.LOGIN,
                    json("name", "guess" + i, "password", "password" + i)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(wrong.errorCode()).isEqualTo(ChatErrors.WRONG_PASSWORD.code());
        }
        Response locked = connect(gate1, null).client.request(ChatRoutes.LOGIN,
                json("name", "ann", "password", "ann-secret")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(locked.errorCode()).as("the address is locked, across names").isEqualTo(
                ChatErrors.TOO_MANY_ATTEMPTS.code());
    }

    @Test
    void gatesServeTheChatPage() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        for (ClusterGate gate : List.of(gate1, gate2)) {
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gate.port() + "/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("pomelo-client.js");
        }
    }
}
