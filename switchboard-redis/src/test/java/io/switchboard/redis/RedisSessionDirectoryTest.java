package io.switchboard.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.testing.RedisServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.client.CloseReason;
import io.switchboard.client.Push;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.KickReasons;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.server.StandaloneServer;
import io.switchboard.users.GateCommand;
import io.switchboard.users.LoginPolicy;
import io.switchboard.api.SessionLocation;
import io.switchboard.users.UserSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis session directory against a real redis-server: atomic bind policies, compare-and-delete, single login. */
class RedisSessionDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static RedisServer redis;

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServer.start();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        for (int i = closeables.size() - 1; i >= 0; i--) {
            closeables.get(i).close();
        }
    }

    private RedisSessionDirectory directory(String prefix) {
        RedisSessionDirectory directory = RedisSessionDirectory.connect(io.lettuce.core.RedisURI.create(redis.uri()),
                prefix);
        closeables.add(directory);
        return directory;
    }

    @Test
    void policiesAndCompareAndDelete() throws Exception {
        RedisSessionDirectory d = directory("policies:");
        SessionLocation a = new SessionLocation("gate-a", 1);
        SessionLocation b = new SessionLocation("gate-b", 7);
        SessionLocation c = new SessionLocation("gate-c", 9);
        assertThat(d.bind("u", a, LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(d.bind("u", b, LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS)).containsExactly(a);
        assertThat(d.lookup("u").get(10, TimeUnit.SECONDS)).containsExactly(b);
        // The kicked session's late logout must not remove the session that replaced it.
        assertThat(d.unbind("u", a).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(d.lookup("u").get(10, TimeUnit.SECONDS)).containsExactly(b);

        assertThat(d.bind("u", c, LoginPolicy.REFUSE_NEW)).failsWithin(WAIT).withThrowableThat().havingCause()
                .isInstanceOfSatisfying(SwitchboardException.class,
                        e -> assertThat(e.errorCode()).isEqualTo(SessionErrors.ALREADY_LOGGED_IN));
        assertThat(d.bind("u", b, LoginPolicy.REFUSE_NEW).get(10, TimeUnit.SECONDS)).as("re-binding itself").isEmpty();
        assertThat(d.bind("u", c, LoginPolicy.ALLOW_MULTIPLE).get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(d.lookup("u").get(10, TimeUnit.SECONDS)).containsExactlyInAnyOrder(b, c);

        assertThat(d.unbind("u", b).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.unbind("u", c).get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(d.lookup("u").get(10, TimeUnit.SECONDS)).isEmpty();
    }

    @Test
    void aGatesEntriesArePurgedAtOnceOrWhenItsLivenessLapses() throws Exception {
        RedisSessionDirectory d = directory("purge:");
        d.bind("u", new SessionLocation("g1", 1), LoginPolicy.ALLOW_MULTIPLE).get(10, TimeUnit.SECONDS);
        d.bind("u", new SessionLocation("g2", 2), LoginPolicy.ALLOW_MULTIPLE).get(10, TimeUnit.SECONDS);
        d.bind("v", new SessionLocation("g1", 3), LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS);
        assertThat(d.purgeGate("g1").get(10, TimeUnit.SECONDS)).isEqualTo(2);
        assertThat(d.lookup("u").get(10, TimeUnit.SECONDS)).containsExactly(new SessionLocation("g2", 2));
        assertThat(d.lookup("v").get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(d.purgeGate("g1").get(10, TimeUnit.SECONDS)).isZero();

        // A gate that announced itself alive and stopped: its entries no longer refuse logins, then go.
        assertThat(d.gateAlive("g3", Duration.ofMillis(100)).get(10, TimeUnit.SECONDS)).as("its first call").isFalse();
        assertThat(d.gateAlive("g4", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS)).isFalse();
        assertThat(d.gateAlive("g4", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS)).as("alive already").isTrue();
        d.bind("w", new SessionLocation("g3", 4), LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS);
        d.bind("x", new SessionLocation("g4", 5), LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> d.bind("w", new SessionLocation("g5", 6), LoginPolicy.REFUSE_NEW)
                .handle((displaced, e) -> e == null && displaced.isEmpty()).get(10, TimeUnit.SECONDS));
        d.bind("y", new SessionLocation("g3", 7), LoginPolicy.KICK_OLD).get(10, TimeUnit.SECONDS);
        assertThat(d.purgeDeadGates().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(d.lookup("y").get(10, TimeUnit.SECONDS)).isEmpty();
        assertThat(d.lookup("w").get(10, TimeUnit.SECONDS)).containsExactly(new SessionLocation("g5", 6));
        assertThat(d.lookup("x").get(10, TimeUnit.SECONDS)).as("a live gate's entries stay")
                .containsExactly(new SessionLocation("g4", 5));
    }

    @Test
    void commandsReachTheSubscribedGateOnly() throws Exception {
        RedisSessionDirectory gate1 = directory("commands:");
        RedisSessionDirectory gate2 = directory("commands:");
        List<GateCommand> received = new CopyOnWriteArrayList<>();
        closeables.add(gate2.subscribe("g2", received::add).get(10, TimeUnit.SECONDS));
        gate1.send("g1", GateCommand.kick(1, "nobody listens")).get(10, TimeUnit.SECONDS);
        gate1.send("g2", GateCommand.push(5, "onNews", new byte[] {1, 2, 3})).get(10, TimeUnit.SECONDS);
        gate1.send("g2", GateCommand.kick(5, "bye")).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> received.size() == 2);
        assertThat(received.get(0).route()).isEqualTo("onNews");
        assertThat(received.get(0).body()).containsExactly(1, 2, 3);
        assertThat(received.get(1)).isEqualTo(new GateCommand(GateCommand.Type.KICK, 5, null, null, "bye"));
    }

    @Test
    void aFailingListenerOrABadCommandNeverPutsThePushBodyInTheLog() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger logger = (Logger) LoggerFactory.getLogger(RedisSessionDirectory.class);
        logger.addAppender(logs);
        closeables.add(() -> logger.detachAppender(logs));
        byte[] body = "card 4111-1111-1111-1111".getBytes(StandardCharsets.UTF_8);
        String encoded = Base64.getEncoder().encodeToString(body);

        RedisSessionDirectory gate1 = directory("logged:");
        RedisSessionDirectory gate2 = directory("logged:");
        closeables.add(gate2.subscribe("g2", command -> {
            throw new IllegalStateException("listener broke");
        }).get(10, TimeUnit.SECONDS));
        gate1.send("g2", GateCommand.push(5, "onPay", body)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> logs.list.size() == 1);
        // Not a command at all: a known type with a body that is not base64, published by someone else.
        try (RedisClient raw = RedisClient.create(redis.uri());
             StatefulRedisConnection<String, String> publisher = raw.connect()) {
            publisher.sync().publish("logged:gate:g2", "{\"type\":\"PUSH\",\"session\":5,\"route\":\"r\","
                    + "\"body\":\"" + encoded + "!!\"}");
        }
        await().atMost(WAIT).until(() -> logs.list.size() == 2);

        for (ILoggingEvent event : logs.list) {
            assertThat(everythingLogged(event)).doesNotContain(encoded).doesNotContain("4111");
        }
        assertThat(logs.list.get(0).getFormattedMessage()).contains("PUSH").contains("logged:gate:g2")
                .contains("IllegalStateException").contains("listener broke");
        assertThat(logs.list.get(1).getFormattedMessage()).contains("logged:gate:g2");
    }

    /** An event's message and, if it has one, its exception's messages and stack down every cause. */
    private static String everythingLogged(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
            text.append('\n').append(t.getClassName()).append(": ").append(t.getMessage());
            for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
                text.append('\n').append(frame.getSTEAsString());
            }
        }
        return text.toString();
    }

    /** A gate: a standalone server whose login route binds through its own Redis connection. */
    private record Gate(StandaloneServer server, UserSessions users) {
    }

    private Gate gate(String name, LoginPolicy policy) throws Exception {
        UserSessions users = UserSessions.builder(directory("login:")).gate(name).policy(policy).build();
        Handlers handlers = new Handlers()
                .request("test.user.login", ctx -> users.login(ctx.session(), ctx.body(JsonNode.class).get("uid")
                        .asText()).thenApply(v -> Map.of("code", 200)))
                .request("test.user.tell", ctx -> {
                    JsonNode body = ctx.body(JsonNode.class);
                    return users.push(body.get("to").asText(), "onTell", body.get("text"))
                            .thenApply(n -> Map.of("sessions", n));
                })
                .pushRoutes("onTell");
        StandaloneServer server = StandaloneServer.builder().gate(GateConfig.builder().host("127.0.0.1").port(0))
                .handlers(handlers).adminPort(-1).build().start();
        closeables.add(server);
        closeables.add(users);
        users.start(server.gate()).get(10, TimeUnit.SECONDS);
        return new Gate(server, users);
    }

    private SwitchboardClient client(Gate gate) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.server().port()))
                .build();
        clients.add(client);
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    private static Response call(SwitchboardClient client, String route, String json) throws Exception {
        return client.request(route, Json.MAPPER.readTree(json)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void secondLoginOnAnotherGateKicksTheFirst() throws Exception {
        Gate gate1 = gate("gate-1", LoginPolicy.KICK_OLD);
        Gate gate2 = gate("gate-2", LoginPolicy.KICK_OLD);
        SwitchboardClient first = client(gate1);
        SwitchboardClient second = client(gate2);
        SwitchboardClient friend = client(gate1);
        List<CloseReason> firstClosed = new CopyOnWriteArrayList<>();
        first.onClose(firstClosed::add);
        List<Push> secondTells = new CopyOnWriteArrayList<>();
        second.onPush("onTell", secondTells::add);

        assertThat(call(first, "test.user.login", "{\"uid\":\"u1\"}").isError()).isFalse();
        SessionLocation firstAt = gate1.users().lookup("u1").get(10, TimeUnit.SECONDS).get(0);
        assertThat(firstAt.gateId()).isEqualTo(gate1.users().gateId());

        assertThat(call(second, "test.user.login", "{\"uid\":\"u1\"}").isError()).isFalse();
        await().atMost(WAIT).until(() -> firstClosed.size() == 1);
        assertThat(firstClosed.get(0)).isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));

        // The kicked session logs itself out when it closes; that must leave the new entry alone.
        await().atMost(WAIT).until(() -> gate1.server().gate().channels().size() == 1);
        await().atMost(WAIT).until(() -> gate1.users().lookup("u1").get(10, TimeUnit.SECONDS).size() == 1);
        // Replaying that logout (a late one) is a no-op too.
        assertThat(directory("login:").unbind("u1", firstAt).get(10, TimeUnit.SECONDS)).isFalse();
        List<SessionLocation> now = gate1.users().lookup("u1").get(10, TimeUnit.SECONDS);
        assertThat(now).hasSize(1);
        assertThat(now.get(0).gateId()).isEqualTo(gate2.users().gateId());

        Response told = call(friend, "test.user.tell", "{\"to\":\"u1\",\"text\":\"hi there\"}");
        assertThat(told.json().get("sessions").asInt()).isEqualTo(1);
        await().atMost(WAIT).until(() -> secondTells.size() == 1);
        assertThat(secondTells.get(0).json().asText()).isEqualTo("hi there");

        Response offline = call(friend, "test.user.tell", "{\"to\":\"nobody\",\"text\":\"?\"}");
        assertThat(offline.errorCode()).isEqualTo(SessionErrors.USER_OFFLINE.code());
        Response badUid = call(friend, "test.user.login", "{\"uid\":\"\"}");
        assertThat(badUid.errorCode()).isEqualTo(SessionErrors.BAD_USER_ID.code());
    }

    @Test
    void aGateCutOffPastItsKeepAliveBindsItsSessionsAgainWhenBack() throws Exception {
        Gate gate1 = gate("gate-1", LoginPolicy.REFUSE_NEW);
        Gate gate2 = gate("gate-2", LoginPolicy.REFUSE_NEW);
        Duration ttl = Duration.ofMinutes(5);
        assertThat(gate1.users().keepAlive(ttl)).succeedsWithin(WAIT);
        SwitchboardClient user = client(gate1);
        SwitchboardClient friend = client(gate2);
        assertThat(call(user, "test.user.login", "{\"uid\":\"u3\"}").isError()).isFalse();

        // Gate 1's liveness lapses (as it would when cut off from Redis past the TTL): gate 2 purges its entries.
        directory("login:").gateAlive(gate1.users().gateId(), Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> {
            gate2.users().keepAlive(ttl).get(10, TimeUnit.SECONDS);
            return gate2.users().lookup("u3").get(10, TimeUnit.SECONDS).isEmpty();
        });
        assertThat(call(friend, "test.user.tell", "{\"to\":\"u3\",\"text\":\"?\"}").errorCode())
                .isEqualTo(SessionErrors.USER_OFFLINE.code());

        // Back: its next keep-alive sees the lapse and binds its logged-in session again.
        assertThat(gate1.users().keepAlive(ttl)).succeedsWithin(WAIT);
        assertThat(gate2.users().lookup("u3").get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(at -> assertThat(at.gateId()).isEqualTo(gate1.users().gateId()));
        assertThat(call(friend, "test.user.tell", "{\"to\":\"u3\",\"text\":\"hi\"}").json().get("sessions")
                .asInt()).isEqualTo(1);
        // And single login holds for the user again.
        assertThat(call(friend, "test.user.login", "{\"uid\":\"u3\"}").errorCode())
                .isEqualTo(SessionErrors.ALREADY_LOGGED_IN.code());
    }

    @Test
    void refuseNewKeepsTheFirstSession() throws Exception {
        Gate gate1 = gate("gate-1", LoginPolicy.REFUSE_NEW);
        Gate gate2 = gate("gate-2", LoginPolicy.REFUSE_NEW);
        SwitchboardClient first = client(gate1);
        SwitchboardClient second = client(gate2);
        assertThat(call(first, "test.user.login", "{\"uid\":\"u2\"}").isError()).isFalse();
        Response refused = call(second, "test.user.login", "{\"uid\":\"u2\"}");
        assertThat(refused.errorCode()).isEqualTo(SessionErrors.ALREADY_LOGGED_IN.code());
        assertThat(first.isConnected()).isTrue();

        first.close().get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> gate1.users().lookup("u2").get(10, TimeUnit.SECONDS).isEmpty());
        assertThat(call(second, "test.user.login", "{\"uid\":\"u2\"}").isError()).isFalse();
    }
}
