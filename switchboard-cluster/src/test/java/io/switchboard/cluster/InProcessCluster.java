package io.switchboard.cluster;

import io.switchboard.api.Handlers;
import io.switchboard.client.SwitchboardClient;
import io.switchboard.gate.GateConfig;
import io.switchboard.registry.MemoryRegistry;
import io.switchboard.registry.Registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * Gates, nodes and TCP clients in one JVM on one in-memory registry, for tests that need a small cluster and no
 * scenario suite: everything made here is closed, newest first, by {@link #close()}.
 */
final class InProcessCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);

    private final MemoryRegistry registry = new MemoryRegistry();
    private final LinkSettings settings;
    private final List<AutoCloseable> closeables = Collections.synchronizedList(new ArrayList<>());

    InProcessCluster(LinkSettings settings) {
        this.settings = settings.withReconnect(Duration.ofMillis(50), Duration.ofMillis(500));
    }

    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    /** A started gate on free loopback ports, admin off; {@code custom} adds to its builder. */
    ClusterGate gate(String id, UnaryOperator<ClusterGate.Builder> custom) throws Exception {
        return gate(id, registry, custom);
    }

    /** A started gate on {@code registry} (a registry client of its own, as a process has; closed by its owner). */
    ClusterGate gate(String id, Registry registry, UnaryOperator<ClusterGate.Builder> custom) throws Exception {
        return closeLater(custom.apply(ClusterGate.builder(registry).id(id)
                .gate(GateConfig.builder().host("127.0.0.1").port(0))
                .cluster("127.0.0.1", 0).admin("127.0.0.1", -1)
                .linkSettings(settings).exitHandler(status -> { }))
                .build().start());
    }

    /** A started node of {@code type}; {@code custom} adds to its builder. */
    ServiceNode node(String id, String type, Handlers handlers, UnaryOperator<ServiceNode.Builder> custom)
            throws Exception {
        return node(id, type, handlers, custom, node -> { });
    }

    /** A node of {@code type}, given to {@code beforeStart} (to register handlers that need its users) and started. */
    ServiceNode node(String id, String type, Handlers handlers, UnaryOperator<ServiceNode.Builder> custom,
                     Consumer<ServiceNode> beforeStart) throws Exception {
        return node(id, type, handlers, registry, custom, beforeStart);
    }

    /** A node of {@code type} on {@code registry}, given to {@code beforeStart} and started. */
    ServiceNode node(String id, String type, Handlers handlers, Registry registry,
                     UnaryOperator<ServiceNode.Builder> custom, Consumer<ServiceNode> beforeStart) throws Exception {
        ServiceNode node = closeLater(custom.apply(ServiceNode.builder(registry, type, handlers).id(id)
                .admin("127.0.0.1", -1).loadInterval(Duration.ZERO)
                .linkSettings(settings).exitHandler(status -> { }))
                .build());
        beforeStart.accept(node);
        return node.start();
    }

    /** A connected client of the gate. */
    SwitchboardClient client(ClusterGate gate) throws Exception {
        SwitchboardClient client = SwitchboardClient.builder(URI.create("tcp://127.0.0.1:" + gate.port()))
                .requestTimeout(Duration.ofSeconds(60)).build();
        closeLater(() -> client.close().orTimeout(5, TimeUnit.SECONDS).exceptionally(e -> null).join());
        client.connect().get(10, TimeUnit.SECONDS);
        return client;
    }

    /** Live threads of this JVM but the test's own: clients (an event loop each) and Awaitility's. */
    static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> !name.startsWith("switchboard-client") && !name.startsWith("awaitility")).count();
    }

    /** Waits until the nodes are ready and linked to the gate. */
    static void awaitLinked(ClusterGate gate, ServiceNode... nodes) {
        for (ServiceNode node : nodes) {
            await().atMost(WAIT).until(node::isReady);
            await().atMost(WAIT).until(() -> gate.linkedNodes().contains(node.nodeId()));
        }
    }

    @Override
    public void close() throws Exception {
        List<AutoCloseable> all = new ArrayList<>(closeables);
        Collections.reverse(all);
        for (AutoCloseable closeable : all) {
            closeable.close();
        }
        registry.close();
    }
}
