package io.switchboard.registry.zookeeper;

import io.switchboard.common.error.SwitchboardException;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registration;
import io.switchboard.api.errors.RegistryErrors;
import io.switchboard.registry.spi.TableRegistry;
import io.switchboard.registry.spi.NodeInfoJson;
import org.apache.curator.RetryPolicy;
import org.apache.curator.framework.api.ACLProvider;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.imps.CuratorFrameworkState;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateListener;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;
import org.apache.zookeeper.data.Stat;
import org.apache.zookeeper.server.auth.DigestAuthenticationProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Registry} on ZooKeeper through Apache Curator; the znode layout is described in the
 * {@linkplain io.switchboard.registry.zookeeper package documentation}.
 *
 * <p>Reads and watches are served from a {@link CuratorCache} of {@code <root>/nodes}. Writes (register, update,
 * deregister, restore) run one at a time on the registry's own thread, so they never race each other. While
 * ZooKeeper is unreachable they fail at once rather than wait through Curator's retries, and updates of a node
 * waiting there coalesce into one write.
 *
 * <p>When the ZooKeeper session is lost, the cluster stops seeing this process's nodes and their node ids become
 * free. Once Curator reconnects, the registry registers them again: same node id if still free, otherwise a new one,
 * reported through {@link io.switchboard.registry.RegistrationListener#onNodeIdChanged}.
 *
 * <pre>{@code
 * try (Registry registry = ZooKeeperRegistry.builder("127.0.0.1:2181").root("/switchboard").build()) {
 *     Registration me = registry.register(info).join();
 *     ...
 * }
 * }</pre>
 */
public final class ZooKeeperRegistry extends TableRegistry {

    /** The root used when none is given. */
    public static final String DEFAULT_ROOT = "/switchboard";

    private static final Logger logger = LoggerFactory.getLogger(ZooKeeperRegistry.class);
    private static final Duration RESTORE_RETRY_DELAY = Duration.ofSeconds(1);

    private final CuratorFramework client;
    private final boolean ownsClient;
    private final ZnodePaths paths;
    private final Duration connectionTimeout;
    // user:password when this registry made its client with digest credentials; null otherwise.
    private final String digest;
    private final ScheduledThreadPoolExecutor writer = new ScheduledThreadPoolExecutor(1, task -> {
        Thread thread = new Thread(task, "switchboard-zk-registry");
        thread.setDaemon(true);
        return thread;
    });
    // The publish of each registration waiting on the writer: updates coalesce into it, so a node that updates
    // its load every few seconds through an outage queues one write, not one per update.
    private final Map<ZooKeeperRegistration, CompletableFuture<NodeInfo>> pendingPublishes = new ConcurrentHashMap<>();
    // Live registrations by process id. Written on the writer thread only.
    private final Map<String, ZooKeeperRegistration> registrations = new ConcurrentHashMap<>();
    // Deregistered nodes whose znodes could not be deleted yet (process id -> node id). Writer thread only.
    private final Map<String, Integer> leftovers = new HashMap<>();
    private final AtomicBoolean restoreRetryScheduled = new AtomicBoolean();
    // Session losses Curator reported: register compares it across its write to catch one that came meanwhile.
    private final AtomicLong sessionLosses = new AtomicLong();
    // Runs on the writer between a register's znode create and its listing in registrations; tests lose the session
    // there.
    private volatile Runnable afterCreate = () -> {
    };
    // Runs on the writer between a restore's znode writes and its report; tests lose the session there.
    private volatile Runnable beforeRestored = () -> {
    };
    private final CuratorCache cache;
    private final NodeZnodes znodes;
    private final ConnectionStateListener connectionListener = (unused, state) -> onConnectionStateChanged(state);
    private volatile boolean closed;

    private ZooKeeperRegistry(CuratorFramework client, boolean ownsClient, String root, int maxNodes,
                              Duration connectionTimeout, String digest) {
        super("switchboard-zk-registry-events");
        this.digest = digest;
        this.client = client;
        this.ownsClient = ownsClient;
        this.paths = new ZnodePaths(root);
        this.znodes = new NodeZnodes(client, paths, maxNodes);
        this.connectionTimeout = connectionTimeout;
        this.cache = CuratorCache.builder(client, paths.nodes).withStorage(new RecreationAwareStorage()).build();
    }

    /** A registry that connects to {@code connectString} ({@code host:port[,host:port...]}) with its own client. */
    public static Builder builder(String connectString) {
        return new Builder(Objects.requireNonNull(connectString, "connectString"), null);
    }

    /**
     * A registry on a Curator client the caller owns: {@link #close()} leaves it open. The client is started if it
     * is not yet.
     */
    public static Builder builder(CuratorFramework client) {
        return new Builder(null, Objects.requireNonNull(client, "client"));
    }

    private void start() {
        try {
            if (client.getState() == CuratorFrameworkState.LATENT) {
                client.start();
            }
            client.getConnectionStateListenable().addListener(connectionListener);
            if (!client.blockUntilConnected((int) connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "cannot connect to ZooKeeper at "
                        + client.getZookeeperClient().getCurrentConnectionString() + " within " + connectionTimeout);
            }
            createPersistent(paths.nodes);
            createPersistent(paths.ids);
            if (digest != null) {
                protectZnodes();
            }
            CountDownLatch initialized = new CountDownLatch(1);
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreatesAndChanges((previous, node) -> onZnodeWritten(node))
                    .forDeletes(this::onZnodeDeleted)
                    .forInitialized(initialized::countDown)
                    .build());
            cache.start();
            if (!initialized.await(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE,
                        "ZooKeeper did not list " + paths.nodes + " within " + connectionTimeout);
            }
        } catch (Exception e) {
            close();
            throw unavailable(e);
        }
    }

    private void createPersistent(String path) throws Exception {
        try {
            client.create().creatingParentsIfNeeded().forPath(path);
        } catch (KeeperException.NodeExistsException e) {
            // Made by an earlier process: that is the normal case.
        }
    }

    /**
     * Makes the root, {@code nodes} and {@code ids} this digest identity's. They may predate the credentials (a
     * cluster first run without them) and be world-open; ZooKeeper checks create and delete rights on the parent,
     * so anyone could then delete or forge node records and take every node id. An ACL this identity may not fix
     * stops the start: running unprotected while configured for protection would be worse.
     */
    private void protectZnodes() throws Exception {
        Id identity = new Id(DIGEST_SCHEME, DigestAuthenticationProvider.generateDigest(digest));
        for (String path : List.of(paths.root, paths.nodes, paths.ids)) {
            if (!path.equals("/")) { // ZooKeeper's own root is not the cluster's to take
                protect(path, identity);
            }
        }
    }

    private void protect(String path, Id identity) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                Stat stat = new Stat();
                List<ACL> acl = client.getACL().storingStatIn(stat).forPath(path);
                if (acl.stream().allMatch(entry -> entry.getId().equals(identity)
                        || (entry.getPerms() & ~ZooDefs.Perms.READ) == 0)) {
                    return;
                }
                // The version check keeps a concurrent change by someone else from being overwritten unseen.
                client.setACL().withVersion(stat.getAversion()).withACL(ZooDefs.Ids.CREATOR_ALL_ACL).forPath(path);
                logger.warn("{} was open to other ZooKeeper identities; it is now the digest identity's alone", path);
                return;
            } catch (KeeperException.BadVersionException e) {
                if (attempt == 3) {
                    throw e;
                }
            } catch (KeeperException.NoAuthException e) {
                throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, path + " lets other ZooKeeper "
                        + "identities change it and the digest identity may not change its ACL; refusing to run "
                        + "unprotected: give the digest identity all rights on it (and nobody else more than read) "
                        + "by hand, or remove it", e);
            }
        }
    }

    /** The Curator client; for tests that need to reach the session. */
    CuratorFramework curator() {
        return client;
    }

    /** The root this registry works under. */
    public String root() {
        return paths.root;
    }

    @Override
    public CompletableFuture<Registration> register(NodeInfo info) {
        Objects.requireNonNull(info, "info");
        return write(() -> {
            long lossesBefore = sessionLosses.get();
            requireConnected();
            if (registrations.containsKey(info.id())) {
                throw new SwitchboardException(RegistryErrors.DUPLICATE_NODE,
                        "a live node is already registered with id " + info.id() + " through this registry");
            }
            int nodeId = znodes.claimNodeId(info.id(), NodeInfo.UNASSIGNED);
            NodeInfo published = info.withNodeId(nodeId);
            try {
                znodes.create(published);
            } catch (Exception e) {
                znodes.releaseNodeId(nodeId, info.id());
                throw e;
            }
            afterCreate.run();
            ZooKeeperRegistration registration = new ZooKeeperRegistration(this, published);
            registrations.put(info.id(), registration);
            if (sessionLosses.get() != lossesBefore) {
                // A loss while this ran may have ended the session holding the new znodes, and its marking of the
                // listed registrations may have missed this one. Lost like them, it is restored with them by the
                // restore the reconnect queues behind this write.
                registration.markLost();
            }
            logger.info("Registered {} ({} v{}) as node {}", info.id(), info.type(), info.version(), nodeId);
            return registration;
        });
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        client.getConnectionStateListenable().removeListener(connectionListener);
        for (ZooKeeperRegistration registration : registrations.values()) {
            registration.markDeregistered();
        }
        try {
            Future<?> cleanup = writer.submit(() -> {
                for (ZooKeeperRegistration registration : registrations.values()) {
                    leftovers.put(registration.info().id(), registration.nodeId());
                }
                registrations.clear();
                removeLeftovers();
            });
            // Bounded: with ZooKeeper unreachable the session's end removes the znodes anyway.
            cleanup.get(connectionTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException | TimeoutException e) {
            logger.warn("Could not remove this process's nodes from ZooKeeper while closing; "
                    + "they disappear when the session ends", e);
        } catch (Exception e) {
            logger.warn("Could not remove this process's nodes from ZooKeeper while closing", e);
        }
        writer.shutdownNow();
        cache.close();
        table.close();
        events.shutdown();
        if (ownsClient) {
            client.close();
        }
    }

    // ---- called by ZooKeeperRegistration

    CompletableFuture<NodeInfo> publish(ZooKeeperRegistration registration) {
        CompletableFuture<NodeInfo> created = new CompletableFuture<>();
        CompletableFuture<NodeInfo> pending = pendingPublishes.putIfAbsent(registration, created);
        if (pending == null) {
            pending = created;
            write(() -> {
                // Taken off first: an update from now on needs a publish of its own; one applied before is in
                // the info publishNow reads.
                pendingPublishes.remove(registration, created);
                return publishNow(registration);
            }).whenComplete((info, error) -> {
                pendingPublishes.remove(registration, created); // when it failed without running (closed)
                if (error != null) {
                    created.completeExceptionally(error);
                } else {
                    created.complete(info);
                }
            });
        }
        return pending.copy(); // a caller completing or cancelling its future must not touch the others'
    }

    private NodeInfo publishNow(ZooKeeperRegistration registration) throws Exception {
        if (!registration.isRegistered()) {
            throw new SwitchboardException(RegistryErrors.NOT_REGISTERED,
                    registration.info().id() + " was deregistered");
        }
        NodeInfo current = registration.info();
        if (registration.isLost()) {
            throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "the ZooKeeper session of "
                    + current.id() + " was lost; the update is published when it is registered again");
        }
        requireConnected(); // the restore after reconnecting publishes the latest info
        try {
            znodes.update(current);
        } catch (KeeperException.NoNodeException e) {
            scheduleRestore();
            throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, current.id()
                    + " is missing from ZooKeeper; the update is published when it is registered again", e);
        }
        return current;
    }

    CompletableFuture<Void> deregister(ZooKeeperRegistration registration) {
        return write(() -> {
            String id = registration.info().id();
            if (registrations.remove(id, registration)) {
                leftovers.put(id, registration.nodeId());
                removeLeftovers();
                logger.info("Deregistered {} (node {})", id, registration.nodeId());
            }
            return null;
        });
    }

    boolean isClosed() {
        return closed;
    }

    // ---- writer thread

    private <T> CompletableFuture<T> write(ZooKeeperCall<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(closedError());
            return future;
        }
        try {
            writer.execute(() -> {
                if (closed) {
                    future.completeExceptionally(closedError());
                    return;
                }
                try {
                    future.complete(call.call());
                } catch (Exception e) {
                    future.completeExceptionally(unavailable(e));
                }
            });
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(closedError());
        }
        return future;
    }

    /** Runs {@code hook} on the writer thread between each register's znode create and its listing; for tests. */
    void afterCreate(Runnable hook) {
        afterCreate = Objects.requireNonNull(hook, "hook");
    }

    /** Runs {@code hook} on the writer thread between each restore's znode writes and its report; for tests. */
    void beforeRestored(Runnable hook) {
        beforeRestored = Objects.requireNonNull(hook, "hook");
    }

    /** How many session losses Curator reported; for tests. */
    long sessionLosses() {
        return sessionLosses.get();
    }

    /** How many writes wait for the writer thread; for tests. */
    int queuedWrites() {
        return writer.getQueue().size();
    }

    /**
     * Fails a write at once while ZooKeeper is unreachable: otherwise it holds the writer through all of Curator's
     * retries, and everything queued behind it waits as long.
     */
    private void requireConnected() {
        if (!client.getZookeeperClient().isConnected()) {
            throw new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE, "not connected to ZooKeeper at "
                    + client.getZookeeperClient().getCurrentConnectionString());
        }
    }

    private void removeLeftovers() {
        if (!client.getZookeeperClient().isConnected()) {
            return; // the restore after reconnecting removes them; a lost session has removed them already
        }
        for (var iterator = leftovers.entrySet().iterator(); iterator.hasNext(); ) {
            Map.Entry<String, Integer> leftover = iterator.next();
            try {
                znodes.remove(leftover.getKey());
                znodes.releaseNodeId(leftover.getValue(), leftover.getKey());
                iterator.remove();
            } catch (KeeperException.NoNodeException e) {
                iterator.remove();
            } catch (Exception e) {
                logger.warn("Could not remove {} from ZooKeeper yet; will retry", leftover.getKey(), e);
                scheduleRestoreRetry();
                return;
            }
        }
    }

    /** Makes ZooKeeper hold every live registration again; runs after a reconnect and whenever one went missing. */
    private void restoreAll() {
        if (closed || !client.getZookeeperClient().isConnected()) {
            return; // RECONNECTED schedules it again
        }
        removeLeftovers();
        for (ZooKeeperRegistration registration : registrations.values()) {
            try {
                restore(registration);
            } catch (Exception e) {
                logger.warn("Could not register {} again yet; will retry", registration.info().id(), e);
                scheduleRestoreRetry();
            }
        }
    }

    private void restore(ZooKeeperRegistration registration) throws Exception {
        long lossesBefore = sessionLosses.get();
        int previousNodeId = registration.nodeId();
        int nodeId = znodes.claimNodeId(registration.info().id(), previousNodeId);
        NodeInfo info = registration.assignNodeId(nodeId);
        znodes.restore(info);
        if (nodeId != previousNodeId) {
            logger.warn("{} registered again as node {}: node {} was taken while it was away",
                    info.id(), nodeId, previousNodeId);
        }
        beforeRestored.run();
        // A loss since this restore began may have taken the znodes it made: then the registration stays lost, and
        // the restore after the next reconnect tells its restoration.
        registration.markRestored(previousNodeId, () -> sessionLosses.get() == lossesBefore);
    }

    private void scheduleRestore() {
        try {
            writer.execute(this::restoreAll);
        } catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    private void scheduleRestoreRetry() {
        if (!restoreRetryScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            writer.schedule(() -> {
                restoreRetryScheduled.set(false);
                restoreAll();
            }, RESTORE_RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            restoreRetryScheduled.set(false);
        }
    }

    // ---- Curator threads

    private void onConnectionStateChanged(ConnectionState state) {
        if (closed) {
            return;
        }
        switch (state) {
            case LOST -> {
                logger.warn("ZooKeeper session lost: this process's nodes are gone from the cluster until reconnect");
                // Here, not on the writer: it may be busy with a write waiting for ZooKeeper, and the listeners
                // must stop minting snowflake ids now, before another process can take the node ids. Counted first:
                // a register whose listing this marking misses then sees the count changed.
                sessionLosses.incrementAndGet();
                registrations.values().forEach(ZooKeeperRegistration::markLost);
            }
            // Also after a mere disconnection: cheap, and it repairs anything removed meanwhile.
            case RECONNECTED -> scheduleRestore();
            default -> {
            }
        }
    }

    private void onZnodeWritten(ChildData znode) {
        String id = paths.idOf(znode.getPath());
        if (id == null) {
            return;
        }
        NodeInfo info;
        try {
            info = NodeInfoJson.decode(znode.getData());
        } catch (IOException e) {
            logger.warn("Ignoring {}: not a node record ({})", znode.getPath(), e.getMessage());
            table.remove(id);
            return;
        }
        if (!info.id().equals(id)) {
            logger.warn("Ignoring {}: it holds the record of {}", znode.getPath(), info.id());
            table.remove(id);
            return;
        }
        table.put(info);
    }

    private void onZnodeDeleted(ChildData znode) {
        String id = paths.idOf(znode.getPath());
        if (id == null) {
            return;
        }
        table.remove(id);
        ZooKeeperRegistration own = registrations.get(id);
        if (own != null && own.isRegistered() && !closed) {
            // One of ours vanished under us (session expiry, or someone deleted it): put it back.
            scheduleRestore();
        }
    }

    private SwitchboardException unavailable(Exception e) {
        if (e instanceof SwitchboardException switchboard) {
            return switchboard;
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        return new SwitchboardException(RegistryErrors.REGISTRY_UNAVAILABLE,
                "ZooKeeper at " + client.getZookeeperClient().getCurrentConnectionString() + ": " + e, e);
    }

    private static SwitchboardException closedError() {
        return new SwitchboardException(RegistryErrors.REGISTRY_CLOSED, RegistryErrors.REGISTRY_CLOSED.message());
    }

    @FunctionalInterface
    private interface ZooKeeperCall<T> {
        T call() throws Exception;
    }

    private static final String DIGEST_SCHEME = "digest";

    /** Znodes are the creating identity's alone (the digest every process of the cluster shares). */
    private static final class CreatorOnlyAcl implements ACLProvider {
        @Override
        public List<ACL> getDefaultAcl() {
            return ZooDefs.Ids.CREATOR_ALL_ACL;
        }

        @Override
        public List<ACL> getAclForPath(String path) {
            return ZooDefs.Ids.CREATOR_ALL_ACL;
        }
    }

    /** Configures and opens a {@link ZooKeeperRegistry}. */
    public static final class Builder {
        private final String connectString;
        private final CuratorFramework client;
        private String root = DEFAULT_ROOT;
        private Duration sessionTimeout = Duration.ofSeconds(15);
        private Duration connectionTimeout = Duration.ofSeconds(5);
        private RetryPolicy retryPolicy = new ExponentialBackoffRetry(100, 5, 2_000);
        private int maxNodes = NodeInfo.MAX_NODES;
        private String digest;

        private Builder(String connectString, CuratorFramework client) {
            this.connectString = connectString;
            this.client = client;
        }

        /** The znode under which the registry keeps its data; {@value #DEFAULT_ROOT} by default. */
        public Builder root(String root) {
            new ZnodePaths(Objects.requireNonNull(root, "root")); // fails early on a malformed path
            this.root = root;
            return this;
        }

        /**
         * How long ZooKeeper keeps this process's nodes after losing touch with it: how fast the cluster notices a
         * dead process. 15 seconds by default; the server bounds it to 2 to 20 ticks. Ignored with a given client.
         */
        public Builder sessionTimeout(Duration sessionTimeout) {
            this.sessionTimeout = Objects.requireNonNull(sessionTimeout, "sessionTimeout");
            return this;
        }

        /** How long to wait for a connection, at start and per attempt afterwards. 5 seconds by default. */
        public Builder connectionTimeout(Duration connectionTimeout) {
            this.connectionTimeout = Objects.requireNonNull(connectionTimeout, "connectionTimeout");
            return this;
        }

        /** How Curator retries an operation that failed on a connection problem. Ignored with a given client. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * ZooKeeper digest authentication ({@code user:password}): the process authenticates with it and every znode
         * it creates is readable and writable by that identity only (ACL {@code CREATOR_ALL_ACL}), so a client
         * without the credentials can neither read the cluster's addresses nor forge or delete nodes. Every process
         * of a cluster uses the same credentials. The root, {@code nodes} and {@code ids} made before without
         * credentials are taken over (their ACL set to that identity's); one it may not take over stops the build.
         * Ignored with a given client.
         */
        public Builder digest(String userColonPassword) {
            if (userColonPassword == null || userColonPassword.indexOf(':') < 1) {
                throw new IllegalArgumentException("ZooKeeper digest credentials are user:password");
            }
            this.digest = userColonPassword;
            return this;
        }

        /** Fewer node ids than the real limit, so tests can reach it cheaply. */
        Builder maxNodes(int maxNodes) {
            if (maxNodes < 1 || maxNodes > NodeInfo.MAX_NODES) {
                throw new IllegalArgumentException("maxNodes must be within 1.." + NodeInfo.MAX_NODES);
            }
            this.maxNodes = maxNodes;
            return this;
        }

        /**
         * Connects and loads the node list, then returns the registry ready to use.
         *
         * @throws SwitchboardException with {@link RegistryErrors#REGISTRY_UNAVAILABLE} when ZooKeeper cannot be
         *         reached within the connection timeout
         */
        public ZooKeeperRegistry build() {
            CuratorFramework curator = client;
            if (curator == null) {
                CuratorFrameworkFactory.Builder curatorBuilder = CuratorFrameworkFactory.builder()
                        .connectString(connectString)
                        .sessionTimeoutMs((int) sessionTimeout.toMillis())
                        .connectionTimeoutMs((int) connectionTimeout.toMillis())
                        .retryPolicy(retryPolicy);
                if (digest != null) {
                    curatorBuilder.authorization(DIGEST_SCHEME, digest.getBytes(StandardCharsets.UTF_8))
                            .aclProvider(new CreatorOnlyAcl());
                }
                curator = curatorBuilder.build();
            }
            ZooKeeperRegistry registry =
                    new ZooKeeperRegistry(curator, client == null, root, maxNodes, connectionTimeout,
                            client == null ? digest : null);
            registry.start();
            return registry;
        }
    }
}
