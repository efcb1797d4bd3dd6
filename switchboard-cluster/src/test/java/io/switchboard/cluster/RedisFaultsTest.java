package io.switchboard.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisURI;
import io.switchboard.api.Handlers;
import io.switchboard.api.errors.SessionErrors;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.testing.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The session directory's Redis (a real redis-server) frozen with SIGSTOP, or killed with SIGKILL, under load: a gate
 * and a node in this JVM, clients keeping requests open on a route that needs the directory (a push to a user, which
 * looks the user up) and on one that does not. Routes that need Redis fail with a code within the directory's
 * timeout, the others keep answering, none hangs, and service comes back by itself when Redis does.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RedisFaultsTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private static final int CLIENTS = 2;
    private static final int WINDOW = 4;
    private static final int THREAD_SLACK = 4;

    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults()
            .withRequestTimeout(REQUEST_TIMEOUT));
    private final RequestLoad needsRedis = cluster.closeLater(new RequestLoad("users.session.tell",
            n -> "{\"to\":\"target\",\"text\":\"" + n + "\"}", WINDOW));
    private final RequestLoad noRedis = cluster.closeLater(new RequestLoad("users.session.whoami", n -> "{}", WINDOW));
    private final AtomicLong logins = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private RedisServer redis;
    private ClusterGate gate;

    @BeforeEach
    void startCluster() throws Exception {
        // Every write on disk before it is acknowledged, as a directory that must outlive a kill -9 would be run:
        // restarted empty, Redis would have lost who is online, and nothing would tell it again.
        redis = RedisServer.start("--appendonly", "yes", "--appendfsync", "always");
        gate = cluster.gate("gate-1", g -> g.directory(cluster.closeLater(
                RedisSessionDirectory.connect(RedisURI.create(redis.uri()), "faults:"))));
        AtomicReference<ServiceNode> self = new AtomicReference<>();
        Handlers handlers = new Handlers()
                .request("users.session.login", ctx -> self.get().users()
                        .login(ctx.session(), ctx.body(JsonNode.class).get("uid").asText())
                        .thenApply(v -> Map.of("code", 200)))
                .request("users.session.whoami", ctx -> Map.of("uid", String.valueOf(ctx.session().userId())))
                .request("users.session.tell", ctx -> {
                    JsonNode body = ctx.body(JsonNode.class);
                    return self.get().users().push(body.get("to").asText(), "onTell", body.get("text"))
                            .thenApply(n -> Map.of("sessions", n));
                })
                .pushRoutes("onTell");
        ServiceNode node = cluster.node("users-1", "users", handlers, b -> b.workerThreads(2));
        self.set(node);
        InProcessCluster.awaitLinked(gate, node);
        // The pushes go to a user who is online, so each one looks the user up in Redis and is delivered.
        SwitchboardClient target = cluster.client(gate);
        target.onPush("onTell", push -> delivered.incrementAndGet());
        assertThat(target.request("users.session.login", Json.MAPPER.readTree("{\"uid\":\"target\"}"))
                .get(30, TimeUnit.SECONDS).isError()).isFalse();
        for (int i = 0; i < CLIENTS; i++) {
            needsRedis.start(cluster.client(gate));
            noRedis.start(cluster.client(gate));
        }
        awaitAnswers(noRedis, 200);
        awaitAnswers(needsRedis, 200);
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
        if (redis != null) {
            redis.close();
        }
    }

    private static void awaitAnswers(RequestLoad load, long more) {
        long now = load.answered.get();
        await("answers to " + load).atMost(WAIT).until(() -> load.answered.get() >= now + more);
    }

    /** A login of a new user on a new connection, and how long its answer took. */
    private Response login(Duration[] took) throws Exception {
        SwitchboardClient client = cluster.client(gate);
        long start = System.nanoTime();
        Response response = client.request("users.session.login",
                Json.MAPPER.readTree("{\"uid\":\"user-" + logins.incrementAndGet() + "\"}")).get(30, TimeUnit.SECONDS);
        took[0] = Duration.ofNanos(System.nanoTime() - start);
        client.close().get(10, TimeUnit.SECONDS);
        return response;
    }

    /** During the outage: logins fail with the directory's code within the timeout, the other route answers. */
    private void assertOutage() throws Exception {
        Duration[] took = new Duration[1];
        Response login = login(took);
        assertThat(login.errorCode()).as("%s", login).isEqualTo(SessionErrors.DIRECTORY_UNAVAILABLE.code());
        assertThat(took[0]).as("the login fails within the gate's request timeout").isLessThan(REQUEST_TIMEOUT);
        long failed = needsRedis.failedWithACode();
        await("pushes that need Redis fail with a code").atMost(WAIT)
                .until(() -> needsRedis.failedWithACode() > failed);
        awaitAnswers(noRedis, 200);
    }

    /** After recovery: logins and pushes work again by themselves; nothing hung; no thread was left behind. */
    private void assertRecovered(String fault, long threadsBefore, HeapAndDirect memoryBefore)
            throws Exception {
        await("logins work again").atMost(WAIT).until(() -> !login(new Duration[1]).isError());
        awaitAnswers(needsRedis, 200);
        awaitAnswers(noRedis, 200);
        await("no more threads than before the fault").atMost(WAIT)
                .until(() -> InProcessCluster.serverThreads() <= threadsBefore + THREAD_SLACK);
        // The gate and node run in this JVM: its heap after a full GC, the test's own bookkeeping included.
        HeapAndDirect memoryAfter = memoryBefore.awaitNoGrowth("this JVM", HeapAndDirect::ofThisJvm, WAIT);
        for (RequestLoad load : List.of(needsRedis, noRedis)) {
            load.stopAndAwaitEveryEnd(WAIT);
        }
        String memory = " | test JVM " + memoryBefore.to(memoryAfter);
        System.out.println(needsRedis.summary(fault + ", route needing Redis") + " | pushes delivered "
                + delivered + memory);
        System.out.println(noRedis.summary(fault + ", route without Redis") + memory);
        for (RequestLoad load : List.of(needsRedis, noRedis)) {
            assertThat(load.hung()).as("%s", load).isZero();
            assertThat(load.otherFailures).as("%s", load).hasValue(0);
            assertThat(load.connectionClosed).as("%s", load).hasValue(0);
            assertThat(load.maxWait()).as("%s", load).isLessThan(REQUEST_TIMEOUT);
        }
        assertThat(noRedis.failedWithCode).as("the route without Redis never fails").isEmpty();
        await("every push answered as sent is delivered").atMost(WAIT)
                .until(() -> delivered.get() >= needsRedis.answered.get());
    }

    @Test
    void aFrozenRedisFailsTheRoutesThatNeedItWithACodeAndThawingRestoresThem() throws Exception {
        long threads = InProcessCluster.serverThreads();
        HeapAndDirect memory = HeapAndDirect.ofThisJvm();
        redis.freeze();
        try {
            assertOutage();
        } finally {
            redis.thaw();
        }
        assertRecovered("Redis SIGSTOP, SIGCONT", threads, memory);
    }

    @Test
    void aKilledRedisFailsTheRoutesThatNeedItWithACodeAndItsRestartRestoresThem() throws Exception {
        long threads = InProcessCluster.serverThreads();
        HeapAndDirect memory = HeapAndDirect.ofThisJvm();
        redis.kill();
        assertOutage();
        redis.restart();
        assertRecovered("Redis kill -9, restart", threads, memory);
    }
}
