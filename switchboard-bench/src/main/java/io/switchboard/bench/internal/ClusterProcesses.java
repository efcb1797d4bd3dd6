package io.switchboard.bench.internal;

import io.switchboard.api.Handlers;
import io.switchboard.cluster.ClusterGate;
import io.switchboard.cluster.ServiceNode;
import io.switchboard.demo.DemoApp;
import io.switchboard.gate.GateConfig;
import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The three kinds of process of a benchmarked cluster, each run in a child JVM by {@link ServerMain}: the registry
 * (an embedded ZooKeeper), a gate, and a demo service node, on loopback and ephemeral ports, as a deployment runs
 * them (links on the cluster port, the node's handlers on its worker pool).
 */
final class ClusterProcesses {
    static final String ZOOKEEPER = "zookeeper";
    static final String GATE = "gate";
    static final String NODE = "node";
    private static final String ROOT = "/switchboard-bench";

    private ClusterProcesses() {
    }

    static LocalServer zookeeper() throws IOException {
        Path data = Files.createTempDirectory("switchboard-bench-zk");
        EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().host("127.0.0.1").port(0)
                .dataDirectory(data).build().start();
        return new Process(server.port(), -1, () -> {
            server.close();
            try (Stream<Path> files = Files.walk(data)) {
                files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind
            }
        });
    }

    /**
     * A gate with {@code ioThreads} client I/O threads, on the registry at {@code zookeeper}, parking dropped sessions
     * for the default grace period when {@code resume}.
     */
    static LocalServer gate(String zookeeper, int ioThreads, boolean resume) throws InterruptedException {
        Registry registry = ZooKeeperRegistry.builder(zookeeper).root(ROOT).build();
        ClusterGate gate = ClusterGate.builder(registry).id("bench-gate")
                .gate(GateConfig.builder().host("127.0.0.1").port(0).ioThreads(ioThreads)
                        .resumeGrace(resume ? GateConfig.DEFAULT_RESUME_GRACE : Duration.ZERO))
                .cluster("127.0.0.1", 0).admin("127.0.0.1", 0).build().start();
        return new Process(gate.port(), gate.adminPort(), () -> {
            gate.close();
            registry.close();
        });
    }

    /** A demo service node on the registry at {@code zookeeper}. */
    static LocalServer node(String zookeeper) throws InterruptedException {
        Registry registry = ZooKeeperRegistry.builder(zookeeper).root(ROOT).build();
        ServiceNode node = ServiceNode.builder(registry, "demo", DemoApp.register(new Handlers())).id("bench-node")
                .admin("127.0.0.1", 0).build().start();
        return new Process(0, node.adminPort(), () -> {
            node.close();
            registry.close();
        });
    }

    private record Process(int port, int adminPort, Runnable closer) implements LocalServer {
        @Override
        public long connections() {
            return -1;
        }

        @Override
        public void close() {
            closer.run();
        }
    }
}
