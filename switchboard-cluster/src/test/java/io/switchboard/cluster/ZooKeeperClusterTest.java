package io.switchboard.cluster;

import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;
import io.switchboard.testing.FreePort;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;

/**
 * The cluster scenarios on ZooKeeper (Curator's in-process server): each gate and node has its own registry
 * client, as separate processes would, under a fresh root per test.
 */
class ZooKeeperClusterTest extends ClusterScenarios {
    private static TestingServer server;
    private static int roots;
    private String root;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        server = new TestingServer(FreePort.next(), true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        server.close();
    }

    @BeforeEach
    void freshRoot() {
        root = "/cluster-test-" + (++roots);
    }

    @Override
    Registry registry() {
        return ZooKeeperRegistry.builder(server.getConnectString()).root(root)
                .sessionTimeout(Duration.ofSeconds(10)).build();
    }

    @Override
    boolean registriesPerProcess() {
        return true;
    }
}
