package io.switchboard.registry.zookeeper;

import io.switchboard.common.port.PortPlan;
import org.apache.zookeeper.server.ServerCnxnFactory;
import org.apache.zookeeper.server.ZooKeeperServer;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;

/**
 * A standalone ZooKeeper server in this JVM: the real server code, storing its data in a directory. For
 * {@code switchboard registry} and local clusters; production runs a ZooKeeper ensemble.
 *
 * <pre>{@code
 * try (EmbeddedZooKeeperServer server = EmbeddedZooKeeperServer.builder().port(2181).dataDirectory(dir).build()) {
 *     server.start();
 *     Registry registry = Registries.open("zk://" + server.connectString() + "/switchboard");
 * }
 * }</pre>
 */
public final class EmbeddedZooKeeperServer implements AutoCloseable {

    /** The port of the port plan for the registry: service 21, program 1 of project 1, so 12101. */
    public static final int DEFAULT_PORT = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.REGISTRY, 1);

    private static final Logger logger = LoggerFactory.getLogger(EmbeddedZooKeeperServer.class);

    private final String host;
    private final int requestedPort;
    private final Path configuredDataDirectory;
    private final Duration tickTime;
    private final int maxClientConnections;

    private Path dataDirectory;
    private FileTxnSnapLog snapLog;
    private ZooKeeperServer server;
    private ServerCnxnFactory connections;
    private CountDownLatch stopped = new CountDownLatch(0);

    private EmbeddedZooKeeperServer(Builder builder) {
        host = builder.host;
        requestedPort = builder.port;
        configuredDataDirectory = builder.dataDirectory;
        tickTime = builder.tickTime;
        maxClientConnections = builder.maxClientConnections;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts serving; the data directory is created if needed and whatever it holds is loaded. */
    public synchronized EmbeddedZooKeeperServer start() throws IOException {
        if (isRunning()) {
            return this;
        }
        dataDirectory = configuredDataDirectory != null
                ? Files.createDirectories(configuredDataDirectory)
                : Files.createTempDirectory("switchboard-zookeeper-");
        try {
            snapLog = new FileTxnSnapLog(dataDirectory.toFile(), dataDirectory.toFile());
            server = new ZooKeeperServer(snapLog, (int) tickTime.toMillis(), "");
            connections = ServerCnxnFactory.createFactory(new InetSocketAddress(host, requestedPort),
                    maxClientConnections);
            connections.startup(server);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopQuietly();
            throw new IOException("interrupted while starting ZooKeeper", e);
        } catch (IOException | RuntimeException | Error e) {
            // ZooKeeper's threads are not daemons: a half-started server would keep the JVM alive.
            stopQuietly();
            throw e;
        }
        stopped = new CountDownLatch(1);
        logger.info("ZooKeeper serving on {} with data in {}", connectString(), dataDirectory);
        return this;
    }

    public synchronized boolean isRunning() {
        return server != null && server.isRunning();
    }

    /** The port served: the requested one, or the one chosen when port 0 was requested. */
    public synchronized int port() {
        if (connections == null) {
            throw new IllegalStateException("not started");
        }
        return connections.getLocalPort();
    }

    /** {@code host:port}, as a client's connect string. */
    public String connectString() {
        return host + ":" + port();
    }

    /** Where the data lives; a temporary directory, removed on stop, unless one was configured. */
    public synchronized Path dataDirectory() {
        return dataDirectory != null ? dataDirectory : configuredDataDirectory;
    }

    /** Blocks until {@link #stop()} is called, e.g. from a shutdown hook. */
    public void awaitStop() throws InterruptedException {
        CountDownLatch latch;
        synchronized (this) {
            latch = stopped;
        }
        latch.await();
    }

    /** Stops serving and closes the data files. Clients see their connection drop. Idempotent. */
    public synchronized void stop() {
        if (server == null && connections == null) {
            return;
        }
        stopQuietly();
        logger.info("ZooKeeper stopped");
    }

    @Override
    public void close() {
        stop();
    }

    private void stopQuietly() {
        if (connections != null) {
            connections.shutdown(); // also shuts the server down
            connections = null;
        }
        if (server != null) {
            server.shutdown();
            server = null;
        }
        if (snapLog != null) {
            try {
                snapLog.close();
            } catch (IOException e) {
                logger.warn("Could not close ZooKeeper's data files in {}", dataDirectory, e);
            }
            snapLog = null;
        }
        if (configuredDataDirectory == null && dataDirectory != null) {
            deleteRecursively(dataDirectory);
            dataDirectory = null;
        }
        stopped.countDown();
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            logger.warn("Could not delete {}", directory, e);
        }
    }

    /** Configures an {@link EmbeddedZooKeeperServer}. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Path dataDirectory;
        private Duration tickTime = Duration.ofSeconds(2);
        private int maxClientConnections;

        private Builder() {
        }

        /** The address to listen on; loopback by default. {@code 0.0.0.0} serves every interface. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /**
         * The port; {@link EmbeddedZooKeeperServer#DEFAULT_PORT} (12101) by default, 0 for any free one (see
         * {@link EmbeddedZooKeeperServer#port()}).
         */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("port must be within 0..65535: " + port);
            }
            this.port = port;
            return this;
        }

        /** Where to keep snapshots and the transaction log; a temporary directory, removed on stop, by default. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = Objects.requireNonNull(dataDirectory, "dataDirectory");
            return this;
        }

        /** ZooKeeper's time unit: sessions may last from 2 to 20 ticks. 2 seconds by default. */
        public Builder tickTime(Duration tickTime) {
            if (tickTime.isNegative() || tickTime.isZero()) {
                throw new IllegalArgumentException("tickTime must be positive: " + tickTime);
            }
            this.tickTime = tickTime;
            return this;
        }

        /**
         * Connections allowed from one IP address; 0, the default, for no limit: on a local cluster every process
         * connects from the same address.
         */
        public Builder maxClientConnections(int maxClientConnections) {
            this.maxClientConnections = maxClientConnections;
            return this;
        }

        /** The server, not started yet. */
        public EmbeddedZooKeeperServer build() {
            return new EmbeddedZooKeeperServer(this);
        }
    }
}
