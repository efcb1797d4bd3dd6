package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.SessionDirectory;
import io.switchboard.api.SessionLocation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Users across gates in cluster mode (issue 4): a node handler's {@code session.bind} and {@code users().login} go
 * through the gates' shared session directory, so single login holds across gates, a kicked session's late logout
 * leaves its successor alone, and a node's push reaches the user on whichever gate holds it. Subclasses give the
 * directory: one shared in memory, or Redis.
 */
abstract class ClusterUsersContract {
    static final Duration WAIT = Duration.ofSeconds(20);

    final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());
    final List<SwitchboardClient> clients = new CopyOnWriteArrayList<>();
    final MemoryRegistry registry = new MemoryRegistry();
    final LinkSettings settings = LinkSettings.defaults()
            .withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
            .withRequestTimeout(Duration.ofSeconds(30));

    /** The directory of one gate process (each gets its own client of the same store). */
    abstract SessionDirectory directory();

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
        registry.close();
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    ClusterGate gate(String id, LoginPolicy policy, Duration ttl) throws Exception {
        return closeLater(ClusterGate.builder(registry)
                .id(id)
                .gate(GateConfig.builder().host("127.0.0.1").port(0))
                .cluster("127.0.0.1", 0)
                .linkSettings(settings)
                .linkSecurity(ClusterScenarios.LINK_SECURITY)
                .directory(closeLater(directory()))
                .loginPolicy(policy)
                .directoryTtl(ttl)
                .exitHandler(status -> { })
                .build()
                .start());
    }

    ClusterGate gate(String id, LoginPolicy policy) throws Exception {
        return gate(id, policy, Duration.ofSeconds(15));
    }

    /** A node of service "users" whose handlers bind, log in and push through the node's users. */
    ServiceNode node(String id) throws Exception {
        AtomicReference<ServiceNode> self = new AtomicReference<>();
        Handlers handlers = new Handlers()
                .request("users.session.bind", ctx -> {
                    ctx.session().bind(ctx.body(JsonNode.class).get("uid").asText());
                    return Map.of("code", 200);
                })
                .request("users.session.login", ctx -> self.get().users()
                        .login(ctx.session(), ctx.body(JsonNode.class).get("uid").asText())
                        .thenApply(v -> Map.of("code", 200)))
                .request("users.session.whoami", ctx -> {
                    String uid = ctx.session().userId();
                    return Map.of("uid", uid == null ? "" : uid);
                })
                .request("users.session.tell", ctx -> {
                    JsonNode body = ctx.body(JsonNode.class);
                    return self.get().users().push(body.get("to").asText(), "onTell", body.get("text"))
                            .thenApply(n -> Map.of("sessions", n));
                })
                .pushRoutes("onTell");
        ServiceNode node = ServiceNode.builder(registry, "users", handlers)
                .id(id)
                .workerThreads(2)
                .memoryProbe(() -> 0.1)
                .loadInterval(Duration.ZERO)
                .linkSettings(settings)
                .linkSecurity(ClusterScenarios.LINK_SECURITY)
                .exitHandler(status -> { })
                .build();
        self.set(node);
        return closeLater(node.start());
    }

    static void awaitLinked(List<ClusterGate> gates, ServiceNode node) {
        await().atMost(WAIT).until(node::isReady);
        for (ClusterGate gate : gates) {
            await().atMost(WAIT).until(() -> gate.linkedNodes().contains(node.nodeId()));
        }
    }

    SwitchboardClient client(ClusterGate gate) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.port()))
                .requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    static Response call(SwitchboardClient client, String route, String json) throws Exception {
        return client.request(route, Json.MAPPER.readTree(json)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    static List<SessionLocation> lookup(SessionDirectory directory, String uid) throws Exception {
        return directory.lookup(uid).get(10, TimeUnit.SECONDS);
    }

    @Test
    void bindOnAnotherGateKicksTheOlderSessionAndPushesFindTheNewOne() throws Exception {
        ClusterGate gate1 = gate("gate-1", LoginPolicy.KICK_OLD);
        ClusterGate gate2 = gate("gate-2", LoginPolicy.KICK_OLD);
        ServiceNode node = node("users-1");
        awaitLinked(List.of(gate1, gate2), node);
        SessionDirectory inspector = closeLater(directory());

        SwitchboardClient first = client(gate1);
        SwitchboardClient second = client(gate2);
        SwitchboardClient friend = client(gate1);
        CompletableFuture<CloseReason> firstClosed = new CompletableFuture<>();
        first.onClose(firstClosed::complete);
        List<Push> tells = new CopyOnWriteArrayList<>();
        second.onPush("onTell", tells::add);

        assertThat(call(first, "users.session.bind", "{\"uid\":\"u1\"}").isError()).isFalse();
        await().atMost(WAIT).until(() -> lookup(inspector, "u1").size() == 1);
        SessionLocation firstAt = lookup(inspector, "u1").get(0);
        assertThat(firstAt.gateId()).isEqualTo(gate1.directoryGateId());
        assertThat(call(first, "users.session.whoami", "{}").json().get("uid").asText()).isEqualTo("u1");

        // A plain session.bind on the node, for a session of the other gate: the first session is kicked.
        assertThat(call(second, "users.session.bind", "{\"uid\":\"u1\"}").isError()).isFalse();
        assertThat(firstClosed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
                .isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));

        // The kicked session logs out as it closes; that must leave the new entry alone, and so must a replay.
        await().atMost(WAIT).until(() -> gate1.server().channels().size() == 1);
        assertThat(inspector.unbind("u1", firstAt).get(10, TimeUnit.SECONDS)).isFalse();
        List<SessionLocation> now = lookup(inspector, "u1");
        assertThat(now).hasSize(1);
        assertThat(now.get(0).gateId()).isEqualTo(gate2.directoryGateId());
        assertThat(call(second, "users.session.whoami", "{}").json().get("uid").asText()).isEqualTo("u1");

        // A node's push finds the user on the other gate.
        Response told = call(friend, "users.session.tell", "{\"to\":\"u1\",\"text\":\"hi there\"}");
        assertThat(told.json().get("sessions").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> tells.size() == 1);
        assertThat(tells.get(0).json().asText()).isEqualTo("hi there");
        Response offline = call(friend, "users.session.tell", "{\"to\":\"nobody\",\"text\":\"?\"}");
        assertThat(offline.errorCode()).isEqualTo(SessionErrors.USER_OFFLINE.code());

        // A closed connection logs out; a closed gate takes its users' entries with it.
        second.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> lookup(inspector, "u1").isEmpty());
        assertThat(call(friend, "users.session.login", "{\"uid\":\"u5\"}").isError()).isFalse();
        assertThat(lookup(inspector, "u5")).hasSize(1);
        gate1.close();
        await().atMost(WAIT).until(() -> lookup(inspector, "u5").isEmpty());
    }

    @Test
    void refuseNewAnswersTheLoginOnTheOtherGate() throws Exception {
        ClusterGate gate1 = gate("gate-1", LoginPolicy.REFUSE_NEW);
        ClusterGate gate2 = gate("gate-2", LoginPolicy.REFUSE_NEW);
        ServiceNode node = node("users-1");
        awaitLinked(List.of(gate1, gate2), node);
        SessionDirectory inspector = closeLater(directory());

        SwitchboardClient first = client(gate1);
        SwitchboardClient second = client(gate2);
        assertThat(call(first, "users.session.login", "{\"uid\":\"u2\"}").isError()).isFalse();
        Response refused = call(second, "users.session.login", "{\"uid\":\"u2\"}");
        assertThat(refused.errorCode()).isEqualTo(SessionErrors.ALREADY_LOGGED_IN.code());
        assertThat(call(second, "users.session.whoami", "{}").json().get("uid").asText()).isEmpty();
        assertThat(first.isConnected()).isTrue();
        Response badUid = call(second, "users.session.login", "{\"uid\":\"\"}");
        assertThat(badUid.errorCode()).isEqualTo(SessionErrors.BAD_USER_ID.code());

        first.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> lookup(inspector, "u2").isEmpty());
        assertThat(call(second, "users.session.login", "{\"uid\":\"u2\"}").isError()).isFalse();
        assertThat(call(second, "users.session.whoami", "{}").json().get("uid").asText()).isEqualTo("u2");
    }
}
