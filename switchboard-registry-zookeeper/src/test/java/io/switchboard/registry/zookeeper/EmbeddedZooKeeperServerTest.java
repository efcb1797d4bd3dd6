package io.switchboard.registry.zookeeper;

import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registries;
import io.switchboard.registry.Registry;
import io.switchboard.testing.FreePort;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class EmbeddedZooKeeperServerTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void servesCuratorAndKeepsItsDataAcrossRestarts(@TempDir Path dataDirectory) throws Exception {
        int port = FreePort.next();
        try (EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder()
                .port(port)
                .dataDirectory(dataDirectory)
                .build()
                .start()) {
            assertThat(server.isRunning()).isTrue();
            assertThat(server.port()).isEqualTo(port);
            assertThat(server.connectString()).isEqualTo("127.0.0.1:" + port);
            try (CuratorFramework client = connect(server)) {
                client.create().creatingParentsIfNeeded().forPath("/kept/here", "v1".getBytes(StandardCharsets.UTF_8));
            }
        }

        try (EmbeddedZooKeeperServer restarted = EmbeddedZooKeeperServer.builder()
                .port(0)
                .dataDirectory(dataDirectory)
                .build()
                .start();
             CuratorFramework client = connect(restarted)) {
            assertThat(restarted.port()).isPositive().isNotEqualTo(port);
            assertThat(new String(client.getData().forPath("/kept/here"), StandardCharsets.UTF_8)).isEqualTo("v1");
        }
    }

    @Test
    void stopEndsServingRemovesATemporaryDirectoryAndReleasesWaiters() throws Exception {
        EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().port(0).build().start();
        Path dataDirectory = server.dataDirectory();
        assertThat(dataDirectory).isDirectory();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                server.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiter).isNotDone();

        server.stop();
        server.stop(); // idempotent

        waiter.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(server.isRunning()).isFalse();
        assertThat(Files.exists(dataDirectory)).isFalse();
    }

    @Test
    void aTakenPortFailsTheStartAndLeavesNothingRunning() throws Exception {
        try (EmbeddedZooKeeperServer first = EmbeddedZooKeeperServer.builder().port(0).build().start()) {
            EmbeddedZooKeeperServer second = EmbeddedZooKeeperServer.builder().port(first.port()).build();

            assertThatThrownBy(second::start).isInstanceOf(IOException.class);

            assertThat(second.isRunning()).isFalse();
            assertThat(second.dataDirectory()).isNull(); // its temporary directory is gone again
            assertThat(first.isRunning()).isTrue();
        }
    }

    @Test
    void aRegistryRunsOnIt() throws Exception {
        try (EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().port(0).build().start();
             Registry registry = Registries.open("zk://" + server.connectString() + "/switchboard")) {
            registry.register(NodeInfo.builder("gate-1", "gate").build()).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

            await().atMost(WAIT).until(() -> registry.nodes("gate").size() == 1);
        }
    }

    private static CuratorFramework connect(EmbeddedZooKeeperServer server) throws InterruptedException {
        CuratorFramework client = CuratorFrameworkFactory.newClient(server.connectString(), new RetryOneTime(100));
        client.start();
        assertThat(client.blockUntilConnected((int) WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        return client;
    }
}
