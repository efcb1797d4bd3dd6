package io.switchboard.cluster;

import io.switchboard.api.Handlers;
import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import io.switchboard.chat.ChatErrors;
import io.switchboard.chat.ChatRoutes;
import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import io.switchboard.testing.ExternalPrograms;
import io.switchboard.testing.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat store's PostgreSQL (a real server from the machine's binaries) frozen with SIGSTOP, or killed with
 * SIGKILL, while senders keep chat messages going to a user who is online: a gate and a chat node in this JVM.
 * Sends fail with a code within the statement timeout, none hangs, sending comes back by itself, and every message
 * acknowledged to its sender is in the store and was delivered to its recipient.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PostgresChatFaultsTest {
    private static final Duration WAIT = InProcessCluster.WAIT;
    private static final Duration STATEMENT_TIMEOUT = Duration.ofSeconds(1);
    /** Above the chat's longest database wait (a silent socket: the statement timeout plus 2 s). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);
    private static final String SECRET = "postgres-chat-faults-secret-of-32-bytes";
    private static final int SENDERS = 3;
    private static final int WINDOW = 2;
    private static final int THREAD_SLACK = 4;

    private final InProcessCluster cluster = new InProcessCluster(LinkSettings.defaults()
            .withRequestTimeout(REQUEST_TIMEOUT));
    /** Each message's text is its client id, so acknowledged, stored and delivered messages compare by it. */
    private final RequestLoad sends = cluster.closeLater(new RequestLoad(ChatRoutes.SEND,
            n -> "{\"to\":\"bob\",\"text\":\"m-" + n + "\",\"clientId\":\"m-" + n + "\"}", WINDOW));
    private final Set<String> delivered = ConcurrentHashMap.newKeySet();
    private PostgresServer postgres;
    private String database;
    private ClusterGate gate;

    @BeforeEach
    void startCluster() throws Exception {
        Path bin = PostgresServer.findBinaries();
        if (bin == null) {
            ExternalPrograms.missing("PostgreSQL (/usr/lib/postgresql/*/bin/initdb and postgres)");
        }
        postgres = PostgresServer.start(bin);
        database = postgres.createDatabase();
        ChatApp chat = cluster.closeLater(ChatApp.open(ChatConfig.builder().jdbcUrl(database).username("postgres")
                .tokenSecret(SECRET).nodeId(1).passwordIterations(1_000).statementTimeout(STATEMENT_TIMEOUT)
                .build()));
        gate = cluster.gate("gate-1", g -> g);
        Handlers handlers = new Handlers();
        ServiceNode node = cluster.node("chat-1", "chat", handlers, b -> b.workerThreads(4),
                built -> chat.register(handlers, built.users()));
        InProcessCluster.awaitLinked(gate, node);

        SwitchboardClient bob = cluster.client(gate);
        bob.onPush(ChatRoutes.ON_MESSAGE, push -> delivered.add(push.json().get("text").asText()));
        ok(bob, ChatRoutes.REGISTER, "{\"name\":\"bob\",\"password\":\"bob-secret\"}");
        ok(bob, ChatRoutes.LOGIN, "{\"name\":\"bob\",\"password\":\"bob-secret\"}");
        for (int i = 1; i <= SENDERS; i++) {
            SwitchboardClient sender = cluster.client(gate);
            String account = "{\"name\":\"sender" + i + "\",\"password\":\"sender-secret\"}";
            ok(sender, ChatRoutes.REGISTER, account);
            ok(sender, ChatRoutes.LOGIN, account);
            sends.start(sender);
        }
        awaitAcknowledged(100);
    }

    @AfterEach
    void tearDown() throws Exception {
        cluster.close();
        if (postgres != null) {
            postgres.close();
        }
    }

    private static void ok(SwitchboardClient client, String route, String body) throws Exception {
        Response response = client.request(route, Json.MAPPER.readTree(body)).get(30, TimeUnit.SECONDS);
        assertThat(response.isError()).as("%s %s -> %s", route, body, response).isFalse();
    }

    private void awaitAcknowledged(long more) {
        long now = sends.answered.get();
        await("sends acknowledged").atMost(WAIT).until(() -> sends.answered.get() >= now + more);
    }

    private void awaitFailuresWithACode() {
        long now = sends.failedWithACode();
        await("sends fail with a code").atMost(WAIT).until(() -> sends.failedWithACode() > now);
    }

    private void assertRecovered(String fault, long threadsBefore, HeapAndDirect memoryBefore)
            throws Exception {
        awaitAcknowledged(100);
        await("no more threads than before the fault").atMost(WAIT)
                .until(() -> InProcessCluster.serverThreads() <= threadsBefore + THREAD_SLACK);
        // The gate and node run in this JVM: its heap after a full GC, the test's own bookkeeping included.
        HeapAndDirect memoryAfter = memoryBefore.awaitNoGrowth("this JVM", HeapAndDirect::ofThisJvm, WAIT);
        sends.stopAndAwaitEveryEnd(WAIT);
        Set<String> acknowledged = ChatLedger.acknowledged(sends);
        await("every acknowledged message is delivered").atMost(WAIT).until(() -> delivered.containsAll(acknowledged));
        Set<String> stored = ChatLedger.stored(database);
        System.out.println(sends.summary(fault) + " | chat acknowledged " + acknowledged.size() + " | stored "
                + stored.size() + " | delivered " + delivered.size() + " | test JVM " + memoryBefore.to(memoryAfter));

        assertThat(sends.hung()).as("%s", sends).isZero();
        assertThat(sends.otherFailures).as("%s", sends).hasValue(0);
        assertThat(sends.connectionClosed).as("%s", sends).hasValue(0);
        assertThat(sends.maxWait()).as("every send ends within the request timeout").isLessThan(REQUEST_TIMEOUT);
        assertThat(sends.failedWithCode.keySet()).as("sends fail with the chat's storage code")
                .containsOnly(ChatErrors.STORAGE_UNAVAILABLE.code());
        assertThat(stored).as("no acknowledged message is lost").containsAll(acknowledged);
        // A message stored as its send failed (the answer was lost with the connection) may be delivered too.
        assertThat(delivered).as("only stored messages are delivered").isSubsetOf(stored);
    }

    @Test
    void aFrozenDatabaseFailsSendsWithACodeAndLosesNoAcknowledgedMessage() throws Exception {
        long threads = InProcessCluster.serverThreads();
        HeapAndDirect memory = HeapAndDirect.ofThisJvm();
        postgres.freeze();
        try {
            awaitFailuresWithACode();
        } finally {
            postgres.thaw();
        }
        assertRecovered("PostgreSQL SIGSTOP, SIGCONT (chat sends)", threads, memory);
    }

    @Test
    void aKilledDatabaseFailsSendsWithACodeAndLosesNoAcknowledgedMessageAfterItsRestart() throws Exception {
        long threads = InProcessCluster.serverThreads();
        HeapAndDirect memory = HeapAndDirect.ofThisJvm();
        postgres.kill();
        awaitFailuresWithACode();
        postgres.restart();
        assertRecovered("PostgreSQL kill -9, restart (chat sends)", threads, memory);
    }
}
