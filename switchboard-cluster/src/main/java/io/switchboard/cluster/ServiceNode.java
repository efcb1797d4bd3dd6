package io.switchboard.cluster;

import io.switchboard.api.errors.ClusterErrors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.admin.AdminServer;
import io.switchboard.cluster.internal.ClusterAdmin;
import io.switchboard.cluster.internal.ClusterProtocol;
import io.switchboard.cluster.internal.Drainer;
import io.switchboard.cluster.internal.Link;
import io.switchboard.cluster.internal.LinkChannelInitializer;
import io.switchboard.cluster.internal.LinkDialer;
import io.switchboard.cluster.internal.NodeRuntime;
import io.switchboard.cluster.internal.NodeUsers;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.registry.Load;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.NodeState;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registry;
import io.switchboard.registry.RegistryEvent;
import io.switchboard.registry.Subscription;
import io.switchboard.registry.VersionWatcher;
import io.switchboard.serialization.JsonSerializer;
import io.switchboard.serialization.Serializer;
import io.switchboard.transport.Transports;
import io.switchboard.api.OnlineUsers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * A service node of cluster mode: serves the routes of its {@link Handlers} (whose service is the node's type) to
 * clients of every gate. It registers, dials every gate the registry lists and keeps those links up; it is offered
 * to placement only once it is linked to all of them (seed 002). It publishes its load for placement, drains when a
 * newer version of its type comes online, and can call other nodes ({@link #rpc}) and push to any session
 * ({@link #push}).
 *
 * <p>Handlers see each client as a {@link io.switchboard.api.Session} whose {@code id()} is unique across gates;
 * pushes, binds and kicks go to the session's gate over the link. The session's attributes live on this node, and
 * its close listeners run when the gate reports the session closed or moved to another node of this service.
 *
 * <p>Users: {@link #users()} logs sessions in through their gate's session directory (single login across gates,
 * with the gates' login policy) and pushes to a user on whichever gate holds it. A handler's plain
 * {@code session.bind(uid)} goes through the directory as well, without waiting for the outcome.
 */
public final class ServiceNode implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ServiceNode.class);

    private final Builder b;
    private final ClusterMetrics metrics;
    private final Map<String, LinkDialer> dialers = new HashMap<>();
    private final Map<Integer, String> gateIds = new HashMap<>();
    private EventLoopGroup linkGroup;
    private ExecutorService workers;
    private volatile NodeRuntime runtime;
    private final OnlineUsers users;
    private LinkChannelInitializer initializer;
    private AdminServer admin;
    private volatile Registration registration;
    private Subscription subscription;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> loadPublisher;
    private Drainer drainer;
    private volatile boolean ready;
    private boolean closed;

    private ServiceNode(Builder b) {
        this.b = b;
        this.metrics = new ClusterMetrics(b.meters);
        this.users = new NodeUsers(() -> runtime, b.serializer);
    }

    /**
     * A node of service {@code type} serving {@code handlers}, found through {@code registry} (which the caller keeps
     * and closes).
     */
    public static Builder builder(Registry registry, String type, Handlers handlers) {
        return new Builder(registry, type, handlers);
    }

    public synchronized ServiceNode start() throws InterruptedException {
        linkGroup = Transports.newGroup(b.linkThreads, "switchboard-node-link");
        int threads = b.workerThreads > 0 ? b.workerThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
        workers = Executors.newFixedThreadPool(threads, new DefaultThreadFactory("switchboard-node-worker", true));
        runtime = new NodeRuntime(this::nodeId, b.handlers, workers, b.serializer, b.linkSettings, metrics,
                this::linkChanged, () -> {
                    if (drainer != null) {
                        drainer.check();
                    }
                }, users);
        initializer = new LinkChannelInitializer(this::nodeId, b.type, b.linkSettings, runtime, metrics);
        try {
            if (b.adminPort >= 0) {
                admin = ClusterAdmin.create(b.adminHost, b.adminPort, b.registry, b.meters, this::health,
                        () -> drain("admin POST /shutdown")).start();
            }
            NodeInfo.Builder info = NodeInfo.builder(b.id, b.type)
                    .version(b.version)
                    .load(new Load(b.memory.getAsDouble(), 0, 0))
                    .metadata(ClusterProtocol.READY_METADATA, "false")
                    .metadata("pid", Long.toString(ProcessHandle.current().pid()));
            if (admin != null) {
                info.address(NodeInfo.ADMIN_ADDRESS, "http://" + b.adminHost + ":" + admin.port());
            }
            registration = b.registry.register(info.build()).join();
            drainer = new Drainer(b.type + " node " + b.id, runtime::sessionCount, this::stopTakingNew, this::close,
                    b.exit);
            subscription = b.registry.watch(this::onRegistryEvent);
            long every = b.linkSettings.checkInterval().toNanos();
            sweeper = linkGroup.scheduleAtFixedRate(runtime::expire, every, every, TimeUnit.NANOSECONDS);
            if (!b.loadInterval.isZero()) {
                long load = b.loadInterval.toNanos();
                loadPublisher = linkGroup.scheduleAtFixedRate(this::publishLoad, load, load, TimeUnit.NANOSECONDS);
            }
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        log.info("{} node {} (node id {}, version {}) started; admin {}", b.type, b.id, nodeId(), b.version,
                admin == null ? "off" : admin.port());
        return this;
    }

    /** The node id the registry assigned. */
    public int nodeId() {
        Registration r = registration;
        return r == null ? NodeInfo.MAX_NODE_ID : r.nodeId();
    }

    public String id() {
        return b.id;
    }

    public String type() {
        return b.type;
    }

    /** Whether the node has been linked to every gate and so takes routed traffic. */
    public boolean isReady() {
        return ready;
    }

    public boolean isDraining() {
        return drainer != null && drainer.isDraining();
    }

    /** Sessions placed on this node and not closed yet. */
    public int sessionCount() {
        return runtime.sessionCount();
    }

    /** Node ids of the gates this node is linked to. */
    public Set<Integer> linkedGates() {
        return runtime.linkedGates();
    }

    public ClusterMetrics metrics() {
        return metrics;
    }

    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    private synchronized void onRegistryEvent(RegistryEvent event) {
        if (closed) {
            return;
        }
        NodeInfo node = event.node();
        if (ClusterProtocol.GATE_TYPE.equals(node.type())) {
            if (event.type() == RegistryEvent.Type.REMOVED) {
                LinkDialer dialer = dialers.remove(node.id());
                gateIds.remove(node.nodeId());
                if (dialer != null) {
                    dialer.close();
                }
                runtime.gateGone(node.nodeId());
            } else if (!dialers.containsKey(node.id()) && node.address(NodeInfo.CLUSTER_ADDRESS).isPresent()) {
                gateIds.put(node.nodeId(), node.id());
                dialers.put(node.id(), new LinkDialer(node.id(), node.address(NodeInfo.CLUSTER_ADDRESS).get(),
                        b.linkSettings, linkGroup, initializer).start());
            }
        } else if (event.type() != RegistryEvent.Type.REMOVED && isTakingOver(node)) {
            drain("version " + node.version() + " of " + b.type + " is online (" + node.id() + ")");
        }
        updateReadiness();
    }

    /** A newer version replaces this node once it can take traffic, so no session is refused meanwhile. */
    private boolean isTakingOver(NodeInfo node) {
        Registration r = registration;
        return r != null && VersionWatcher.isNewerVersion(r.info(), node)
                && "true".equals(node.metadata().get(ClusterProtocol.READY_METADATA));
    }

    private void linkChanged(Link link) {
        synchronized (this) {
            if (link.isActive()) {
                String gate = gateIds.get(link.peerNodeId());
                LinkDialer dialer = gate == null ? null : dialers.get(gate);
                if (dialer != null) {
                    dialer.linked();
                }
            }
        }
        updateReadiness();
    }

    /** Publishes readiness once linked to every gate listed; it stays published (a new gate simply waits). */
    private synchronized void updateReadiness() {
        if (ready || closed || registration == null) {
            return;
        }
        Set<Integer> linked = runtime.linkedGates();
        List<NodeInfo> gates = b.registry.nodes(ClusterProtocol.GATE_TYPE);
        if (gates.stream().allMatch(gate -> linked.contains(gate.nodeId()))) {
            ready = true;
            log.info("{} node {} linked to all {} gates: taking traffic", b.type, b.id, gates.size());
            registration.update(info -> info.withMetadata(ClusterProtocol.READY_METADATA, "true"));
        }
    }

    /** Publishes the current load (memory use from the probe, sessions placed here) to the registry. */
    public CompletableFuture<NodeInfo> publishLoad() {
        Registration r = registration;
        if (r == null || !r.isRegistered()) {
            return CompletableFuture.completedFuture(null);
        }
        Load load = new Load(Math.min(1, Math.max(0, b.memory.getAsDouble())), runtime.sessionCount(), 0);
        return r.update(info -> info.withLoad(load));
    }

    /**
     * Calls {@code route} on a node of {@code serviceType}, chosen by the placement policy among the serving,
     * ready nodes. Completes with the answer's body, or fails with a {@link RemoteCallException}.
     */
    public CompletableFuture<byte[]> rpc(String serviceType, String route, byte[] body) {
        List<NodeInfo> candidates = b.registry.nodes(serviceType).stream()
                .filter(n -> n.isServing() && "true".equals(n.metadata().get(ClusterProtocol.READY_METADATA)))
                .toList();
        NodeInfo target;
        try {
            target = b.placement.choose(serviceType, candidates);
        } catch (SwitchboardException e) {
            return CompletableFuture.failedFuture(new RemoteCallException(e.code(), e.getMessage()));
        }
        return runtime.call(target.nodeId(), route, body);
    }

    /** Calls {@code route} on the node with node id {@code nodeId}. */
    public CompletableFuture<byte[]> rpc(int nodeId, String route, byte[] body) {
        return runtime.call(nodeId, route, body);
    }

    /**
     * The cluster's logged-in users, as this node's handlers see them: usable from {@link #build} on, for calls once
     * started. Logins wait for the session's gate to bind them in its session directory.
     */
    public OnlineUsers users() {
        return users;
    }

    /**
     * Pushes to any client session of the cluster, through its gate.
     *
     * @param sessionId the {@link io.switchboard.api.Session#id()} handlers on a node see
     */
    public CompletableFuture<Void> push(long sessionId, String route, byte[] body) {
        int gate = ClusterProtocol.gateOf(sessionId);
        Link link = runtime.gateLink(gate);
        if (link == null || !link.isActive()) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.NODE_UNREACHABLE.code(),
                    "no link to gate " + gate));
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        link.send(Envelopes.builder(Kind.PUSH).route(route).sessionId(ClusterProtocol.gateSessionOf(sessionId))
                .gateId(gate).sourceNodeId(nodeId()).payload(body).build()).addListener(f -> {
                    if (f.isSuccess()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(f.cause());
                    }
                });
        return done;
    }

    private ObjectNode health() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("status", closed ? "DOWN" : isDraining() ? "DRAINING" : ready ? "UP" : "LINKING");
        node.put("type", b.type);
        node.put("id", b.id);
        node.put("nodeId", nodeId());
        node.put("version", b.version);
        node.put("sessions", runtime.sessionCount());
        node.put("links", metrics.activeLinks());
        return node;
    }

    private void stopTakingNew() {
        Registration r = registration;
        if (r != null && r.isRegistered()) {
            r.update(info -> info.withState(NodeState.DRAINING));
        }
    }

    /** Takes no new sessions; exits (through the exit handler) once the last one is gone. */
    public void drain(String why) {
        drainer.drain(why);
    }

    /** The SIGINT/SIGTERM path: leaves the registry, waits up to {@code deadline} for sessions, then closes. */
    public void shutdown(Duration deadline) {
        Registration r = registration;
        if (r != null) {
            r.deregister().join();
        }
        drainer.shutdown("shutdown signal", deadline);
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Closes the links at once (gates fail this node's pending requests) and leaves the registry. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (subscription != null) {
                subscription.close();
            }
            dialers.values().forEach(LinkDialer::close);
            dialers.clear();
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (loadPublisher != null) {
            loadPublisher.cancel(false);
        }
        if (runtime != null) {
            runtime.stop();
        }
        if (admin != null) {
            admin.close();
        }
        Registration r = registration;
        if (r != null) {
            r.deregister().exceptionally(e -> null).join();
        }
        if (linkGroup != null) {
            linkGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdown();
        }
        if (drainer != null) {
            drainer.close();
        }
        log.info("{} node {} closed", b.type, b.id);
    }

    /** Builds a {@link ServiceNode}. */
    public static final class Builder {
        private final Registry registry;
        private final String type;
        private final Handlers handlers;
        private String id;
        private int version;
        private int workerThreads;
        private int linkThreads = 1;
        private String adminHost = "127.0.0.1";
        private int adminPort = -1;
        private LinkSettings linkSettings = LinkSettings.defaults();
        private PlacementPolicy placement = new LowestMemoryPlacement();
        private Serializer serializer = JsonSerializer.INSTANCE;
        private DoubleSupplier memory = () -> Load.measure(0, 0).memoryUsedRatio();
        private Duration loadInterval = Duration.ofSeconds(2);
        private MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private ExitHandler exit = ExitHandler.SYSTEM;

        private Builder(Registry registry, String type, Handlers handlers) {
            this.registry = Objects.requireNonNull(registry, "registry");
            this.type = Objects.requireNonNull(type, "type");
            this.handlers = Objects.requireNonNull(handlers, "handlers");
            if (ClusterProtocol.GATE_TYPE.equals(type) || ClusterProtocol.SYSTEM_SERVICE.equals(type)) {
                throw new IllegalArgumentException("'" + type + "' is reserved");
            }
            this.id = type + "-" + ProcessHandle.current().pid();
        }

        /** The process id in the registry; unique in the cluster. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        /** The version of this service's code: a higher one makes older nodes of the type drain. */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** Handler threads; 0 means one per core, at least two. */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        /** Admin HTTP (/health, /metrics, /cluster, POST /shutdown); -1 (the default) is off, 0 any free port. */
        public Builder admin(String host, int port) {
            this.adminHost = Objects.requireNonNull(host, "host");
            this.adminPort = port;
            return this;
        }

        public Builder linkSettings(LinkSettings settings) {
            this.linkSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How {@link #rpc(String, String, byte[])} picks a node of a type. */
        public Builder placement(PlacementPolicy placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** Reads request bodies and writes responses and pushes; JSON by default. */
        public Builder serializer(Serializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /** Where the published memory-use ratio comes from (0..1); the JVM heap by default. */
        public Builder memoryProbe(DoubleSupplier memory) {
            this.memory = Objects.requireNonNull(memory, "memory");
            return this;
        }

        /** How often the load is published; zero publishes only on {@link #publishLoad()}. Default 2 s. */
        public Builder loadInterval(Duration interval) {
            this.loadInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** What ends the process once drained; {@link ExitHandler#SYSTEM} by default. */
        public Builder exitHandler(ExitHandler exit) {
            this.exit = Objects.requireNonNull(exit, "exit");
            return this;
        }

        public ServiceNode build() {
            return new ServiceNode(this);
        }
    }
}
