package io.switchboard.cluster;

import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;
import io.switchboard.testing.FreePort;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;

/** {@link ClusterChatContract} on ZooKeeper (Curator's in-process server), one registry client per process. */
class ZooKeeperClusterChatTest extends ClusterChatContract {
    private static TestingServer server;
    private static int roots;
    private final String root = "/cluster-chat-" + (++roots);

    @BeforeAll
    static void startZooKeeper() throws Exception {
        server = new TestingServer(FreePort.next(), true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        // Null when the contract's own set-up skipped the class (no redis-server) before ZooKeeper started.
        if (server != null) {
            server.close();
        }
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
