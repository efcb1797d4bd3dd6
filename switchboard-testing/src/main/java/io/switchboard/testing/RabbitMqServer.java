package io.switchboard.testing;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;

/**
 * A real {@code rabbitmq-server} for one test class: its own epmd, node name, ports (AMQP on 127.0.0.1 only,
 * distribution, epmd), data, logs, config and Erlang cookie in a temp directory, so tests never share a broker or an
 * epmd with each other or with a system broker. {@link #stop()} and {@link #restart()} keep the port and the data;
 * {@link #close()} ends every process it started (epmd included). Start is slow (seconds): one per test class. When
 * the program is missing the test is skipped loudly, or fails with {@code CI=true}.
 *
 * <p>Needs {@code com.rabbitmq:amqp-client} on the test class path (it waits for a real AMQP login).
 */
public final class RabbitMqServer implements AutoCloseable {
    /** The Debian package's script; the one in /usr/sbin re-runs it as user rabbitmq, which cannot read our dir. */
    private static final String[] SERVER_SCRIPTS = {
            "/usr/lib/rabbitmq/bin/rabbitmq-server", "/usr/local/lib/rabbitmq/bin/rabbitmq-server"};
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path dir;
    private final String script;
    private final int port;
    private final int distPort;
    private final int epmdPort;
    private final String nodeName;
    private Process epmd;
    private volatile Process broker;

    private RabbitMqServer(Path dir, String script, int port, int distPort, int epmdPort) {
        this.dir = dir;
        this.script = script;
        this.port = port;
        this.distPort = distPort;
        this.epmdPort = epmdPort;
        this.nodeName = "switchboard" + port + "@localhost";
    }

    /** Starts a broker, or skips (fails with CI=true) the calling test when rabbitmq-server is missing. */
    public static RabbitMqServer start() throws IOException {
        String script = find(SERVER_SCRIPTS, "rabbitmq-server");
        String epmd = find(new String[] {"/usr/bin/epmd"}, "epmd");
        if (script == null || epmd == null) {
            ExternalPrograms.missing("rabbitmq-server (Debian package rabbitmq-server)");
        }
        Path dir = Files.createTempDirectory("switchboard-rabbitmq");
        RabbitMqServer server = new RabbitMqServer(dir, script, FreePort.next(), FreePort.next(), FreePort.next());
        try {
            server.writeConfig();
            server.startEpmd(epmd);
            server.launch();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void writeConfig() throws IOException {
        Files.writeString(dir.resolve("rabbitmq.conf"), String.join("\n",
                "listeners.tcp.default = 127.0.0.1:" + port,
                "loopback_users = none",
                // A test machine's disk may be nearly full; the default alarm (50 MB) would block publishers.
                "disk_free_limit.absolute = 1MB",
                ""));
        Files.writeString(dir.resolve("enabled_plugins"), "[].\n");
        Files.writeString(dir.resolve("rabbitmq-env.conf"), "");
    }

    /** Our own epmd on a free port, so {@link #close()} can end it and no test shares one. */
    private void startEpmd(String binary) throws IOException {
        epmd = new ProcessBuilder(binary, "-port", Integer.toString(epmdPort), "-address", "127.0.0.1")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("epmd.log").toFile()))
                .start();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20)).until(() -> {
            if (!epmd.isAlive()) {
                throw new IllegalStateException("epmd exited: " + Files.readString(dir.resolve("epmd.log")));
            }
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", epmdPort)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
    }

    private void launch() throws IOException {
        ProcessBuilder builder = new ProcessBuilder(script).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("rabbitmq.out").toFile()));
        Map<String, String> env = builder.environment();
        env.put("HOME", dir.toString()); // the Erlang cookie goes here
        env.put("RABBITMQ_NODENAME", nodeName);
        env.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_NODE_PORT", Integer.toString(port));
        env.put("RABBITMQ_DIST_PORT", Integer.toString(distPort));
        env.put("ERL_EPMD_PORT", Integer.toString(epmdPort));
        env.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        env.put("RABBITMQ_CONFIG_FILE", dir.resolve("rabbitmq.conf").toString());
        env.put("RABBITMQ_CONF_ENV_FILE", dir.resolve("rabbitmq-env.conf").toString());
        env.put("RABBITMQ_ENABLED_PLUGINS_FILE", dir.resolve("enabled_plugins").toString());
        env.put("RABBITMQ_PLUGINS_EXPAND_DIR", dir.resolve("plugins-expand").toString());
        env.put("RABBITMQ_MNESIA_BASE", dir.resolve("mnesia").toString());
        env.put("RABBITMQ_LOG_BASE", dir.resolve("log").toString());
        env.put("RABBITMQ_LOGS", "-");
        // The distribution port on loopback too, like the AMQP listener.
        env.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        broker = builder.start();
        awaitServing();
    }

    /** Ready when a real AMQP login succeeds: the TCP listener opens before the broker is fully booted. */
    private void awaitServing() {
        Process started = broker;
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setConnectionTimeout(2000);
        await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(100)).ignoreExceptionsMatching(
                e -> e instanceof IOException || e instanceof java.util.concurrent.TimeoutException).until(() -> {
                    if (!started.isAlive()) {
                        throw new IllegalStateException("rabbitmq-server exited: "
                                + Files.readString(dir.resolve("rabbitmq.out")));
                    }
                    try (Connection connection = factory.newConnection("switchboard-testing-probe")) {
                        return connection.isOpen();
                    }
                });
    }

    private static String find(String[] fixed, String name) {
        for (String candidate : fixed) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        for (String path : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(path, name);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    /** {@code amqp://guest:guest@127.0.0.1:<port>/%2F}: the default user and vhost. */
    public String uri() {
        return "amqp://guest:guest@127.0.0.1:" + port + "/%2F";
    }

    public int port() {
        return port;
    }

    /** What the broker has written to its console so far, for a failing test's message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("rabbitmq.out"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** A connection factory for this broker, for test consumers. */
    public ConnectionFactory connectionFactory() {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(port);
        factory.setAutomaticRecoveryEnabled(false);
        return factory;
    }

    /** Stops the broker cleanly (its clients see it close their connections); {@link #restart()} brings it back. */
    public void stop() {
        Process running = broker;
        if (running == null || !running.isAlive()) {
            return;
        }
        // Taken first: once the script is gone its children can no longer be found through it.
        List<ProcessHandle> tree = new ArrayList<>();
        running.toHandle().descendants().forEach(tree::add);
        tree.add(running.toHandle());
        running.destroy(); // SIGTERM to the script: it stops the node cleanly and waits for it
        try {
            running.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        kill(tree); // whatever is left (erl_child_setup, inet_gethost, a node that would not stop)
    }

    /** Starts the broker again on the same port and data, after {@link #stop()}. */
    public void restart() throws IOException {
        if (broker != null && broker.isAlive()) {
            throw new IllegalStateException("rabbitmq-server is running");
        }
        launch();
    }

    private static void killTree(Process process) {
        List<ProcessHandle> tree = new ArrayList<>();
        process.toHandle().descendants().forEach(tree::add);
        tree.add(process.toHandle());
        kill(tree);
    }

    private static void kill(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : processes) {
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // gone or stuck: nothing more a test can do
            }
        }
    }

    @Override
    public void close() {
        if (broker != null) {
            stop();
        }
        if (epmd != null) {
            killTree(epmd);
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp directory left behind is not worth failing a test for
        }
    }
}
