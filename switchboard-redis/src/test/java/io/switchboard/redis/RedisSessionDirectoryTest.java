package io.switchboard.redis;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.read.ListAppender;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.switchboard.testing.RedisServerExtension;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Redis session directory against a real redis-server: atomic bind policies, compare-and-delete, single login. */
class RedisSessionDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    @RegisterExtension
    static final RedisServerExtension redis = new RedisServerExtension();

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();

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

    /** A plain connection to look at the directory's keys. */
    private StatefulRedisConnection<String, String> raw() {
        RedisClient client = RedisClient.create(redis.uri());
        closeables.add(client::shutdown);
        StatefulRedisConnection<String, String> connection = client.connect();
        closeables.add(connection);
        return connection;
    }

    /** Binds {@code users} users u0, u1... at {@code gate}; u0, u2... also at gate {@code other}. */
    private static void bindMany(RedisSessionDirectory d, String gate, int users, String other) throws Exception {
        List<CompletableFuture<?>> bound = new ArrayList<>();
        for (int i = 0; i < users; i++) {
            bound.add(d.bind("u" + i, new SessionLocation(gate, i), LoginPolicy.ALLOW_MULTIPLE));
            if (i % 2 == 0) {
                bound.add(d.bind("u" + i, new SessionLocation(other, i), LoginPolicy.ALLOW_MULTIPLE));
            }
        }
        CompletableFuture.allOf(bound.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    }

    /** How many of users u0... u{n-1} have an entry at {@code gate}. */
    private static int usersAt(RedisSessionDirectory d, String gate, int users) throws Exception {
        int n = 0;
        for (int i = 0; i < users; i++) {
            if (d.lookup("u" + i).get(10, TimeUnit.SECONDS).stream().anyMatch(at -> at.gateId().equals(gate))) {
                n++;
            }
        }
        return n;
    }

    private static void assertGateGone(StatefulRedisConnection<String, String> raw, String prefix, String gate) {
        assertThat(raw.sync().exists(prefix + "gate-users:" + gate, prefix + "alive:" + gate)).isZero();
        assertThat(raw.sync().sismember(prefix + "gates", gate)).isFalse();
    }

    @Test
    void aGateWithMoreUsersThanOneStepIsPurgedToTheEndInSteps() throws Exception {
        RedisSessionDirectory d = directory("steps:");
        StatefulRedisConnection<String, String> raw = raw();
        int users = 2 * RedisSessionDirectory.PURGE_STEP_USERS + 1;
        d.gateAlive("big", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
        d.gateAlive("other", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
        bindMany(d, "big", users, "other");
        List<String> between = new CopyOnWriteArrayList<>();
        d.betweenPurgeSteps = gate -> {
            between.add(gate);
            return CompletableFuture.completedFuture(null);
        };

        assertThat(d.purgeGate("big").get(10, TimeUnit.SECONDS)).isEqualTo(users);
        assertThat(between).as("three steps").containsExactly("big", "big");
        assertThat(usersAt(d, "big", users)).isZero();
        assertThat(usersAt(d, "other", users)).isEqualTo(users / 2 + 1);
        assertGateGone(raw, "steps:", "big");
        assertThat(raw.sync().sismember("steps:gates", "other")).isTrue();
    }

    @Test
    void aDeadGateWithMoreUsersThanOneStepIsPurgedToTheEnd() throws Exception {
        RedisSessionDirectory d = directory("dead-steps:");
        StatefulRedisConnection<String, String> raw = raw();
        d.purgeStepUsers = 2;
        int users = 7;
        d.gateAlive("live", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
        // Bound before it lapses: binds drop the entries of a dead gate they meet.
        bindMany(d, "dead", users, "live");
        d.gateAlive("dead", Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> raw.sync().exists("dead-steps:alive:dead") == 0);
        assertThat(raw.sync().scard("dead-steps:gate-users:dead")).isEqualTo(users);

        assertThat(d.purgeDeadGates().get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(usersAt(d, "dead", users)).isZero();
        assertThat(usersAt(d, "live", users)).isEqualTo(4);
        assertGateGone(raw, "dead-steps:", "dead");
        assertThat(d.purgeDeadGates().get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void onePurgeStepWalksNoMoreUsersThanItsStep() throws Exception {
        RedisSessionDirectory d = directory("one-step:");
        StatefulRedisConnection<String, String> raw = raw();
        d.purgeStepUsers = 2;
        d.gateAlive("g", Duration.ofMinutes(5)).get(10, TimeUnit.SECONDS);
        bindMany(d, "g", 5, "h");

        assertThat(d.purgeStep("g", false).get(10, TimeUnit.SECONDS))
                .isEqualTo(new RedisSessionDirectory.PurgeStep(2, RedisSessionDirectory.PurgeStep.Outcome.MORE));
        assertThat(raw.sync().scard("one-step:gate-users:g")).isEqualTo(3);
        assertThat(usersAt(d, "g", 5)).isEqualTo(3);
        assertThat(raw.sync().exists("one-step:alive:g")).as("not before the last step").isEqualTo(1);
        assertThat(raw.sync().sismember("one-step:gates", "g")).isTrue();
    }

    @Test
    void aDeadGateThatComesBackBetweenTwoStepsIsPurgedNoFurther() throws Exception {
        RedisSessionDirectory d = directory("back:");
        StatefulRedisConnection<String, String> raw = raw();
        d.purgeStepUsers = 1;
        bindMany(d, "g", 3, "h");
        d.gateAlive("g", Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> raw.sync().exists("back:alive:g") == 0);
        // After the first step the gate calls in again: it binds its own sessions, nobody purges them.
        d.betweenPurgeSteps = gate -> d.gateAlive(gate, Duration.ofMinutes(5));

        assertThat(d.purgeDeadGates().get(10, TimeUnit.SECONDS)).isZero();
        assertThat(usersAt(d, "g", 3)).isEqualTo(2);
        assertThat(raw.sync().scard("back:gate-users:g")).isEqualTo(2);
        assertThat(raw.sync().exists("back:alive:g")).isEqualTo(1);
        assertThat(raw.sync().sismember("back:gates", "g")).isTrue();
        assertThat(d.purgeStep("g", true).get(10, TimeUnit.SECONDS))
                .isEqualTo(new RedisSessionDirectory.PurgeStep(0, RedisSessionDirectory.PurgeStep.Outcome.NOT_DEAD));
        assertThat(usersAt(d, "g", 3)).isEqualTo(2);
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

    @ParameterizedTest
    @EnumSource(LoginPolicy.class)
    void aGateBackFromACutHonoursItsLoginPolicyForUsersWhoLoggedInElsewhereMeanwhile(LoginPolicy policy)
            throws Exception {
        Gate gate1 = gate("gate-1", policy);
        Gate gate2 = gate("gate-2", policy);
        Duration ttl = Duration.ofMinutes(5);
        String moved = "moved-" + policy;
        String stayed = "stayed-" + policy;
        assertThat(gate1.users().keepAlive(ttl)).succeedsWithin(WAIT);
        SwitchboardClient movedOn1 = client(gate1);
        SwitchboardClient stayedOn1 = client(gate1);
        SwitchboardClient movedOn2 = client(gate2);
        List<CloseReason> movedOn1Closed = new CopyOnWriteArrayList<>();
        movedOn1.onClose(movedOn1Closed::add);
        assertThat(call(movedOn1, "test.user.login", "{\"uid\":\"" + moved + "\"}").isError()).isFalse();
        assertThat(call(stayedOn1, "test.user.login", "{\"uid\":\"" + stayed + "\"}").isError()).isFalse();

        // Gate 1's liveness lapses, gate 2 purges its entries, and the user logs in on gate 2 meanwhile.
        directory("login:").gateAlive(gate1.users().gateId(), Duration.ofMillis(1)).get(10, TimeUnit.SECONDS);
        await().atMost(WAIT).until(() -> {
            gate2.users().keepAlive(ttl).get(10, TimeUnit.SECONDS);
            return gate2.users().lookup(moved).get(10, TimeUnit.SECONDS).isEmpty();
        });
        assertThat(call(movedOn2, "test.user.login", "{\"uid\":\"" + moved + "\"}").isError()).isFalse();

        assertThat(gate1.users().keepAlive(ttl)).succeedsWithin(WAIT);
        List<String> movedAt = gate1.users().lookup(moved).get(10, TimeUnit.SECONDS).stream()
                .map(SessionLocation::gateId).toList();
        if (policy == LoginPolicy.ALLOW_MULTIPLE) {
            assertThat(movedAt).containsExactlyInAnyOrder(gate1.users().gateId(), gate2.users().gateId());
            assertThat(call(movedOn1, "test.user.tell", "{\"to\":\"" + moved + "\",\"text\":\"hi\"}").json()
                    .get("sessions").asInt()).as("both sessions stay").isEqualTo(2);
        } else {
            await().atMost(WAIT).until(() -> movedOn1Closed.size() == 1);
            assertThat(movedOn1Closed.get(0)).isEqualTo(CloseReason.kicked(KickReasons.LOGGED_IN_ELSEWHERE));
            assertThat(movedAt).as("the newer session stays").containsExactly(gate2.users().gateId());
        }
        assertThat(movedOn2.isConnected()).isTrue();
        assertThat(call(stayedOn1, "test.user.tell", "{\"to\":\"" + stayed + "\",\"text\":\"hi\"}").json()
                .get("sessions").asInt()).as("bound again").isEqualTo(1);
        assertThat(gate1.users().lookup(stayed).get(10, TimeUnit.SECONDS)).singleElement()
                .satisfies(at -> assertThat(at.gateId()).isEqualTo(gate1.users().gateId()));
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
