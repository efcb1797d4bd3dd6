package io.switchboard.registry.zookeeper;

import io.switchboard.registry.NodeInfo;
import io.switchboard.testing.FreePort;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** With digest credentials, the registry's znodes are the cluster's alone. */
class ZooKeeperDigestTest {
    private static final String ROOT = "/digest-test";
    private static TestingServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new TestingServer(FreePort.next(), true);
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.close();
    }

    private static ZooKeeperRegistry registry(String digest) {
        return ZooKeeperRegistry.builder(server.getConnectString()).root(ROOT).digest(digest).build();
    }

    @Test
    void processesWithTheCredentialsSeeEachOtherAndOthersCanNeitherReadNorForge() throws Exception {
        try (ZooKeeperRegistry gate = registry("cluster:s3cret"); ZooKeeperRegistry node = registry("cluster:s3cret")) {
            int id = gate.register(NodeInfo.builder("gate-1", "gate").build()).join().nodeId();
            await().atMost(10, TimeUnit.SECONDS).until(() -> node.nodes("gate").size() == 1);

            try (CuratorFramework stranger = CuratorFrameworkFactory.newClient(server.getConnectString(),
                    new RetryOneTime(100))) {
                stranger.start();
                stranger.blockUntilConnected(10, TimeUnit.SECONDS);
                ZnodePaths paths = new ZnodePaths(ROOT);
                assertThatThrownBy(() -> stranger.getData().forPath(paths.node("gate-1")))
                        .as("the gate's record, with its addresses").isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.create().forPath(paths.node("impostor"),
                        "{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(KeeperException.NoAuthException.class);
                assertThatThrownBy(() -> stranger.delete().forPath(paths.node("gate-1")))
                        .isInstanceOf(KeeperException.NoAuthException.class);
            }
            assertThat(node.nodes("gate")).extracting(NodeInfo::nodeId).containsExactly(id);
        }
    }

    @Test
    void credentialsAreUserColonPassword() {
        assertThatThrownBy(() -> ZooKeeperRegistry.builder(server.getConnectString()).digest("no-colon"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
