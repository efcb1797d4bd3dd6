package io.switchboard.cluster;

import io.lettuce.core.RedisURI;
import io.switchboard.chat.ChatApp;
import io.switchboard.chat.ChatConfig;
import io.switchboard.demo.DemoApp;
import io.switchboard.redis.RedisSessionDirectory;
import io.switchboard.gate.GateConfig;
import io.switchboard.api.Handlers;
import io.switchboard.registry.Registry;
import io.switchboard.registry.zookeeper.EmbeddedZooKeeperServer;
import io.switchboard.registry.zookeeper.ZooKeeperRegistry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * One process of {@link ChildProcessClusterTest} and {@link ChildProcessFaultsTest}: {@code gate <zk> <root> <id>},
 * {@code node <zk> <root> <id>}, {@code zookeeper <port> <data directory>}, and for chat
 * {@code chat-gate <zk> <root> <id> <redis uri> <key prefix>} (a gate whose session directory is on Redis) or
 * {@code chat-node <zk> <root> <id> <jdbc url>} (a chat node on PostgreSQL as user postgres, token secret in
 * {@value #CHAT_SECRET_ENV}; route {@code chat.test.node} answers its id). Prints {@code ADMIN <admin port>} and
 * then {@code READY <client port>} (or node id, or ZooKeeper port) once serving, and {@code HANG} when the hanging
 * route is called; route {@code demo.test.node} answers the node's id. Links use the secret in
 * {@value LinkSecurity#SECRET_ENV}; the request timeout is the {@value #REQUEST_TIMEOUT} system property (30 s when
 * unset).
 */
public final class ClusterProcessMain {
    private static final double EQUAL_MEMORY_RATIO = 0.1;
    private static final java.time.Duration LOAD_INTERVAL = java.time.Duration.ofMillis(200);
    static final String REQUEST_TIMEOUT = "switchboard.test.requestTimeout";
    static final String CHAT_SECRET_ENV = "SWITCHBOARD_TEST_CHAT_SECRET";

    private ClusterProcessMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("zookeeper")) {
            EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().port(Integer.parseInt(args[1]))
                    .dataDirectory(Path.of(args[2])).tickTime(Duration.ofMillis(500)).build().start();
            System.out.println("READY " + server.port());
            server.awaitStop();
            return;
        }
        Registry registry = ZooKeeperRegistry.builder(args[1]).root(args[2]).sessionTimeout(Duration.ofSeconds(10))
                .build();
        LinkSettings settings = LinkSettings.defaults().withReconnect(Duration.ofMillis(50), Duration.ofMillis(500))
                .withRequestTimeout(Duration.parse("PT" + System.getProperty(REQUEST_TIMEOUT, "30s")));
        if (args[0].equals("gate") || args[0].equals("chat-gate")) {
            ClusterGate.Builder builder = ClusterGate.builder(registry).id(args[3])
                    .gate(GateConfig.builder().host("127.0.0.1").port(0)).cluster("127.0.0.1", 0)
                    .linkSettings(settings).linkSecurity(LinkSecurity.fromEnvironment());
            if (args[0].equals("chat-gate")) {
                builder.directory(RedisSessionDirectory.connect(RedisURI.create(args[4]), args[5]));
            }
            ClusterGate gate = builder.build().start();
            System.out.println("ADMIN " + gate.adminPort());
            System.out.println("READY " + gate.port());
        } else if (args[0].equals("chat-node")) {
            Handlers handlers = new Handlers().request("chat.test.node", ctx -> java.util.Map.of("node", args[3]));
            ServiceNode node = ServiceNode.builder(registry, "chat", handlers).id(args[3]).linkSettings(settings)
                    .linkSecurity(LinkSecurity.fromEnvironment()).workerThreads(4)
                    .memoryProbe(() -> EQUAL_MEMORY_RATIO).loadInterval(LOAD_INTERVAL).build();
            ChatApp.open(ChatConfig.builder().jdbcUrl(args[4]).username("postgres")
                    .tokenSecret(System.getenv(CHAT_SECRET_ENV)).nodeIds(node::assignedNodeId)
                    .passwordIterations(1_000).statementTimeout(Duration.ofSeconds(1)).build())
                    .register(handlers, node.users());
            node.start();
            System.out.println("ADMIN " + node.adminPort());
            System.out.println("READY " + node.nodeId());
        } else {
            Handlers handlers = DemoApp.register(new Handlers()).request("demo.test.hang", ctx -> {
                System.out.println("HANG");
                return new CompletableFuture<>();
            }).request("demo.test.node", ctx -> java.util.Map.of("node", args[3]));
            // Equal memory, published often: placement then spreads sessions by count, so the test needs no luck
            // with the two JVMs' heaps to get a session on each node.
            ServiceNode node = ServiceNode.builder(registry, "demo", handlers).id(args[3]).linkSettings(settings)
                    .linkSecurity(LinkSecurity.fromEnvironment()).workerThreads(2)
                    .memoryProbe(() -> EQUAL_MEMORY_RATIO).loadInterval(LOAD_INTERVAL).build().start();
            System.out.println("ADMIN " + node.adminPort());
            System.out.println("READY " + node.nodeId());
        }
        new CountDownLatch(1).await();
    }
}
