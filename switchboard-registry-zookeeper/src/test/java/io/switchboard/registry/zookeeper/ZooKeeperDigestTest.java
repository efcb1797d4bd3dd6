package io.switchboard.registry.zookeeper;

import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.testing.FreePort;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
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

    /** SECURITY.md's upgrade path: the cluster ran without credentials, so its znodes exist and are world-open. */
    @Test
    void aRootMadeWithoutCredentialsIsTakenOverByTheDigestIdentity() throws Exception {
        String root = "/digest-upgrade";
        ZooKeeperRegistry.builder(server.getConnectString()).root(root).build().close();
        ZnodePaths paths = new ZnodePaths(root);

        try (ZooKeeperRegistry gate = ZooKeeperRegistry.builder(server.getConnectString()).root(root)
                .digest("cluster:s3cret").build();
             CuratorFramework stranger = stranger()) {
            gate.register(NodeInfo.builder("gate-1", "gate").build()).join();

            // ZooKeeper checks create and delete rights on the parent: nodes and ids themselves must be closed.
            assertThatThrownBy(() -> stranger.delete().forPath(paths.node("gate-1")))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.create().forPath(paths.node("impostor"),
                    "{}".getBytes(StandardCharsets.UTF_8))).isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.create().forPath(paths.nodeId(1000)))
                    .as("a node id taken by a stranger").isInstanceOf(KeeperException.NoAuthException.class);
            assertThatThrownBy(() -> stranger.delete().forPath(paths.nodes))
                    .isInstanceOf(KeeperException.NoAuthException.class);
            assertThat(gate.node("gate-1")).isPresent();
        }
    }

    @Test
    void aRootOthersMayWriteAndTheIdentityMayNotFixIsRefused() throws Exception {
        String root = "/digest-foreign";
        try (CuratorFramework stranger = stranger()) {
            // Open to all but for ADMIN: the registry cannot make it its own.
            stranger.create().withACL(List.of(new ACL(ZooDefs.Perms.ALL & ~ZooDefs.Perms.ADMIN,
                    ZooDefs.Ids.ANYONE_ID_UNSAFE))).forPath(root);
        }

        assertThatThrownBy(() -> registry(root, "cluster:s3cret"))
                .isInstanceOfSatisfying(SwitchboardException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(RegistryErrors.REGISTRY_UNAVAILABLE);
                    assertThat(e.getMessage()).contains(root, "refusing to run unprotected");
                });
    }

    private static ZooKeeperRegistry registry(String root, String digest) {
        return ZooKeeperRegistry.builder(server.getConnectString()).root(root).digest(digest).build();
    }

    private static CuratorFramework stranger() throws InterruptedException {
        CuratorFramework stranger = CuratorFrameworkFactory.newClient(server.getConnectString(), new RetryOneTime(100));
        stranger.start();
        assertThat(stranger.blockUntilConnected(10, TimeUnit.SECONDS)).isTrue();
        return stranger;
    }

    @Test
    void credentialsAreUserColonPassword() {
        assertThatThrownBy(() -> ZooKeeperRegistry.builder(server.getConnectString()).digest("no-colon"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
