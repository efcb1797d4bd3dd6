package io.switchboard.cluster;

import io.switchboard.api.errors.ClusterErrors;

import io.switchboard.client.Response;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.protocol.Json;
import io.switchboard.testing.FreePort;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two gates and two demo nodes as real child processes on ZooKeeper; one node is killed with SIGKILL. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ChildProcessClusterTest {
    private static final Duration WAIT = Duration.ofSeconds(40);
    /** The children's link secret, from the environment as `switchboard cluster up` passes it. */
    private static final String LINK_SECRET = "child-process-link-secret-8d1e07";

    private final List<ChildProcess> children = new ArrayList<>();
    private final List<SwitchboardClient> clients = new ArrayList<>();
    private TestingServer zooKeeper;

    @AfterEach
    void tearDown() throws Exception {
        clients.forEach(c -> c.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        for (ChildProcess child : children) {
            child.close();
        }
        if (zooKeeper != null) {
            zooKeeper.close();
        }
        for (ChildProcess child : children) {
            assertThat(child.lines()).as("%s logs no secret", child.id()).noneMatch(l -> l.contains(LINK_SECRET));
        }
    }

    private ChildProcess spawn(String role, String id) throws Exception {
        // Info level, so the check that no line shows the secret covers the links' own logging.
        ChildProcess child = ChildProcess.start(id, Map.of(LinkSecurity.SECRET_ENV, LINK_SECRET,
                "TEST_LOG_LEVEL", "INFO"), List.of(), role, zooKeeper.getConnectString(), "/child-test", id);
        children.add(child);
        return child;
    }

    private SwitchboardClient client(int port) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + port))
                .requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.connect().get(20, TimeUnit.SECONDS);
        return client;
    }

    @Test
    void killedNodeFailsItsRequestsFastAndNewSessionsGoToTheSurvivor() throws Exception {
        zooKeeper = new TestingServer(FreePort.next(), true);
        ChildProcess gate1 = spawn("gate", "gate-1");
        ChildProcess gate2 = spawn("gate", "gate-2");
        ChildProcess node1 = spawn("node", "demo-1");
        ChildProcess node2 = spawn("node", "demo-2");
        for (ChildProcess child : children) {
            await().atMost(WAIT).until(() -> child.said("READY ") || !child.process().isAlive());
            assertThat(child.process().isAlive()).as("%s: %s", child.id(), child.lines()).isTrue();
        }
        // Both gates must reach both nodes: route requests until each node has taken a session on each gate.
        SwitchboardClient probe1 = client(gate1.readyValue());
        SwitchboardClient probe2 = client(gate2.readyValue());
        await().atMost(WAIT).until(() -> !answer(probe1.request("demo.echo.say", Json.MAPPER.readTree("{}")))
                .isError() && !answer(probe2.request("demo.echo.say", Json.MAPPER.readTree("{}"))).isError());

        // Spread hanging requests over new sessions until both nodes hold one.
        List<CompletableFuture<Response>> hanging = new ArrayList<>();
        await().atMost(WAIT).until(() -> {
            hanging.add(client(gate1.readyValue()).request("demo.test.hang", Json.MAPPER.readTree("{}")));
            return node1.said("HANG") && node2.said("HANG");
        });
        // Kill only once every hanging request has reached its node: one still on its way when the link breaks
        // fails as NODE_UNREACHABLE (its write failed), which is right but not what this test is about.
        await().atMost(WAIT).until(() -> hangs(node1) + hangs(node2) == hanging.size());
        assertThat(hanging).noneMatch(CompletableFuture::isDone);
        long start = System.nanoTime();
        node1.process().destroyForcibly();
        long failedWithCode = 0;
        // Requests the survivor holds stay pending; the dead node's fail with NODE_LOST.
        await().atMost(WAIT).until(() -> hanging.stream().anyMatch(f -> f.isDone() && !f.isCompletedExceptionally()
                && f.join().errorCode() == ClusterErrors.NODE_LOST.code()));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(25));
        for (CompletableFuture<Response> request : hanging) {
            if (request.isDone()) {
                assertThat(request.join().errorCode()).isEqualTo(ClusterErrors.NODE_LOST.code());
                failedWithCode++;
            }
        }
        assertThat(failedWithCode).isPositive();

        for (int i = 0; i < 4; i++) {
            Response fresh = answer(client(gate2.readyValue()).request("demo.echo.say",
                    Json.MAPPER.readTree("{\"i\":" + i + "}")));
            assertThat(fresh.isError()).as("%s", fresh).isFalse();
        }
        assertThat(node2.process().isAlive()).isTrue();
    }

    @Test
    void killedGatesUsersLeaveTheirRoomsWithinTheLinkTimeout() throws Exception {
        zooKeeper = new TestingServer(FreePort.next(), true);
        ChildProcess gate1 = spawn("gate", "gate-1");
        ChildProcess gate2 = spawn("gate", "gate-2");
        ChildProcess node = spawn("node", "demo-1");
        for (ChildProcess child : children) {
            await().atMost(WAIT).until(() -> child.said("READY ") || !child.process().isAlive());
            assertThat(child.process().isAlive()).as("%s: %s", child.id(), child.lines()).isTrue();
        }
        SwitchboardClient alice = client(gate1.readyValue());
        SwitchboardClient bob = client(gate2.readyValue());
        List<io.switchboard.client.Push> leaves = new CopyOnWriteArrayList<>();
        alice.onPush("onLeave", leaves::add);
        // Until the node is linked to both gates, joins may be refused; retry until both are in.
        await().atMost(WAIT).until(() -> !answer(alice.request("demo.room.join",
                Json.MAPPER.readTree("{\"room\":\"r\",\"name\":\"alice\"}"))).isError());
        await().atMost(WAIT).until(() -> !answer(bob.request("demo.room.join",
                Json.MAPPER.readTree("{\"room\":\"r\",\"name\":\"bob\"}"))).isError());

        long start = System.nanoTime();
        gate2.process().destroyForcibly();
        await().atMost(WAIT).until(() -> leaves.size() == 1);
        // The registry would take its 10 s session timeout; the link is what told the node.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
        assertThat(leaves.get(0).json()).isEqualTo(Json.MAPPER.readTree("{\"name\":\"bob\"}"));
        assertThat(node.process().isAlive()).isTrue();
    }

    private static long hangs(ChildProcess node) {
        return node.lines().stream().filter("HANG"::equals).count();
    }

    private static Response answer(CompletableFuture<Response> future) throws Exception {
        return future.get(30, TimeUnit.SECONDS);
    }
}
