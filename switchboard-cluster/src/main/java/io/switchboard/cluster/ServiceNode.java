package io.switchboard.cluster;

import io.switchboard.cluster.protocol.ClusterSessionIds;
import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import io.switchboard.api.errors.ClusterErrors;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.admin.AdminResponse;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessOptions;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.cluster.internal.DialedGateCheck;
import io.switchboard.cluster.internal.Link;
import io.switchboard.cluster.internal.LinkChannelInitializer;
import io.switchboard.cluster.internal.LinkDialer;
import io.switchboard.cluster.internal.LinkRole;
import io.switchboard.cluster.internal.NodeRuntime;
import io.switchboard.cluster.internal.NodeUsers;
import io.switchboard.cluster.internal.RegistrationPart;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.error.SwitchboardException;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.protocol.Json;
import io.switchboard.registry.Load;
import io.switchboard.registry.NodeInfo;
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
    private final ProcessRuntime process;
    private EventLoopGroup linkGroup;
    private volatile NodeRuntime runtime;
    private final OnlineUsers users;
    private LinkChannelInitializer initializer;
    private final RegistrationPart registration;
    private Subscription subscription;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> loadPublisher;
    private volatile boolean ready;
    private boolean closed;

    private ServiceNode(Builder b) {
        this.b = b;
        this.users = new NodeUsers(() -> runtime, b.serializer);
        this.registration = new RegistrationPart(b.registry, this::nodeInfo);
        this.process = ProcessRuntime.of(b.processConfig())
                .add(new NodePart()).add(registration).add(new WatchPart());
        // After the runtime, which sets the registry's filters before any meter.
        this.metrics = new ClusterMetrics(b.meters);
    }

    /**
     * A node of service {@code type} serving {@code handlers}, found through {@code registry} (which the caller keeps
     * and closes).
     */
    public static Builder builder(Registry registry, String type, Handlers handlers) {
        return new Builder(registry, type, handlers);
    }

    public ServiceNode start() throws InterruptedException {
        try {
            process.start();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + b.type + " node " + id(), e);
        }
        log.info("{} node {} (node id {}, version {}) started; admin {}", b.type, id(), nodeId(), version(),
                process.adminPort() < 0 ? "off" : process.adminPort());
        return this;
    }

    /** The node's handlers and link runtime, as the runtime's first part: serving before it registers. */
    private final class NodePart implements ProcessPart {
        private volatile boolean drained;

        @Override
        public void start(ProcessRuntime process) {
            linkGroup = Transports.newGroup(b.linkThreads, "switchboard-node-link");
            runtime = new NodeRuntime(ServiceNode.this::nodeId, b.handlers, process.workers(), b.serializer,
                    b.linkSettings, metrics, ServiceNode.this::linkChanged, process::sessionEnded, users,
                    b.sessionLimits);
            if (!b.linkSecurity.authenticatesPeers()) {
                log.warn("cluster links of {} node {} are not authenticated (no {} and no link TLS): loopback gates "
                        + "only", b.type, id(), LinkSecurity.SECRET_ENV);
            }
            initializer = new LinkChannelInitializer(ServiceNode.this::nodeId, b.type, LinkRole.DIALER,
                    b.linkSettings, b.linkSecurity, new DialedGateCheck(b.registry), runtime, metrics);
            process.adminRoute(HttpMethod.GET, "/cluster", request ->
                    AdminResponse.json(Json.MAPPER.writeValueAsString(b.registry.nodes())));
        }

        @Override
        public int inFlight() {
            return runtime == null ? 0 : runtime.sessionCount();
        }

        @Override
        public void health(ObjectNode health) {
            if (!ready) {
                health.put("status", "LINKING");
            }
            health.put("type", b.type);
            health.put("nodeId", nodeId());
            health.put("sessions", inFlight());
            health.put("links", metrics.activeLinks());
        }

        @Override
        public void stopTakingNew() {
            drained = true;
        }

        /**
         * Refuses new requests and, after a drain, lets those taken be answered (for at most
         * {@link LinkSettings#quiesceLimit()}), then closes the links: gates fail whatever is still pending with
         * {@code NODE_LOST}. A plain close cuts the links at once.
         */
        @Override
        public void close() {
            if (runtime != null) {
                runtime.stop(drained ? b.linkSettings.quiesceLimit() : Duration.ZERO);
            }
            if (linkGroup != null) {
                linkGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /** Once registered: follows the registry to dial every gate, expires calls, publishes the load. */
    private final class WatchPart implements ProcessPart {
        @Override
        public void start(ProcessRuntime process) {
            subscription = b.registry.watch(ServiceNode.this::onRegistryEvent);
            long every = b.linkSettings.checkInterval().toNanos();
            sweeper = linkGroup.scheduleAtFixedRate(runtime::expire, every, every, TimeUnit.NANOSECONDS);
            if (!b.loadInterval.isZero()) {
                long load = b.loadInterval.toNanos();
                loadPublisher = linkGroup.scheduleAtFixedRate(ServiceNode.this::publishLoad, load, load,
                        TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public void close() {
            synchronized (ServiceNode.this) {
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
        }
    }

    /** The routes gates put in their dictionaries for this node: the ones it serves and the ones it pushes. */
    private Set<String> publishedRoutes() {
        HandlerTable table = b.handlers.table();
        Set<String> routes = new java.util.TreeSet<>(table.routes());
        routes.addAll(table.pushRoutes());
        return routes;
    }

    /** This node in the registry, with its routes and room keys: not ready until linked to every gate. */
    private NodeInfo nodeInfo(ProcessRuntime process) {
        NodeInfo.Builder info = NodeInfo.builder(id(), b.type)
                .version(version())
                .load(new Load(b.memory.getAsDouble(), 0, 0))
                .metadata(NodeMetadata.READY, "false")
                .metadata(NodeMetadata.ROUTES, NodeMetadata.routes(publishedRoutes()))
                .metadata(NodeMetadata.ROOM_KEYS, NodeMetadata.roomKeys(b.handlers.table().roomKeys()))
                .metadata("pid", Long.toString(ProcessHandle.current().pid()));
        if (process.adminAddress() != null) {
            info.address(NodeInfo.ADMIN_ADDRESS, process.adminAddress());
        }
        return info.build();
    }

    /** The node id the registry assigned. */
    public int nodeId() {
        return registration.nodeId();
    }

    /**
     * The node id the registry assigned, or -1 before registration: what this node's snowflake ids carry (DESIGN §5),
     * so two hosts never issue colliding ids whatever their flags say.
     */
    public int assignedNodeId() {
        Registration r = registration.registration();
        return r == null ? -1 : r.nodeId();
    }

    public String id() {
        return process.config().id();
    }

    private int version() {
        return process.config().version();
    }

    /** The process runtime: health, drain, shutdown hook. */
    public ProcessRuntime runtime() {
        return process;
    }

    public String type() {
        return b.type;
    }

    /** Whether the node has been linked to every gate and so takes routed traffic. */
    public boolean isReady() {
        return ready;
    }

    public boolean isDraining() {
        return process.isDraining();
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
        return process.adminPort();
    }

    private synchronized void onRegistryEvent(RegistryEvent event) {
        if (closed) {
            return;
        }
        NodeInfo node = event.node();
        if (NodeMetadata.GATE_TYPE.equals(node.type())) {
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
        Registration r = registration.registration();
        return r != null && VersionWatcher.isNewerVersion(r.info(), node)
                && "true".equals(node.metadata().get(NodeMetadata.READY));
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
        Registration r = registration.registration();
        if (ready || closed || r == null) {
            return;
        }
        Set<Integer> linked = runtime.linkedGates();
        List<NodeInfo> gates = b.registry.nodes(NodeMetadata.GATE_TYPE);
        if (gates.stream().allMatch(gate -> linked.contains(gate.nodeId()))) {
            ready = true;
            log.info("{} node {} linked to all {} gates: taking traffic", b.type, id(), gates.size());
            r.update(info -> info.withMetadata(NodeMetadata.READY, "true"));
        }
    }

    /** Publishes the current load (memory use from the probe, sessions placed here) to the registry. */
    public CompletableFuture<NodeInfo> publishLoad() {
        Registration r = registration.registration();
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
                .filter(n -> n.isServing() && "true".equals(n.metadata().get(NodeMetadata.READY)))
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
        int gate = ClusterSessionIds.gateOf(sessionId);
        Link link = runtime.gateLink(gate);
        if (link == null || !link.isActive()) {
            return CompletableFuture.failedFuture(new RemoteCallException(ClusterErrors.NODE_UNREACHABLE.code(),
                    "no link to gate " + gate));
        }
        return link.sendConfirmed(Envelopes.builder(Kind.PUSH).route(route)
                .sessionId(ClusterSessionIds.gateSessionOf(sessionId)).gateId(gate).sourceNodeId(nodeId()).payload(body)
                .build());
    }

    /** Takes no new sessions; exits (through the exit handler) once the last one is gone. */
    public void drain(String why) {
        process.drain(why);
    }

    /** The SIGINT/SIGTERM path: leaves the registry, waits up to the shutdown grace for sessions, then closes. */
    public void shutdown() {
        process.shutdown();
    }

    public boolean isClosed() {
        return process.isClosed();
    }

    /** Closes the links at once (gates fail this node's pending requests) and leaves the registry. */
    @Override
    public void close() {
        process.close();
    }

    /**
     * Builds a {@link ServiceNode}. Besides the options of every process ({@link ProcessOptions}): a higher
     * {@link #version} than the nodes of its type makes them drain once this one takes traffic; its admin HTTP adds
     * {@code GET /cluster}.
     */
    public static final class Builder extends ProcessOptions<Builder> {
        private final Registry registry;
        private final String type;
        private final Handlers handlers;
        private int linkThreads = 1;
        private LinkSettings linkSettings = LinkSettings.defaults();
        private LinkSecurity linkSecurity = LinkSecurity.none();
        private PlacementPolicy placement = new LowestMemoryPlacement();
        private Serializer serializer = JsonSerializer.INSTANCE;
        private DoubleSupplier memory = () -> Load.measure(0, 0).memoryUsedRatio();
        private Duration loadInterval = Duration.ofSeconds(2);
        private MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private NodeRuntime.SessionLimits sessionLimits = NodeRuntime.SessionLimits.DEFAULTS;

        private Builder(Registry registry, String type, Handlers handlers) {
            super(ProcessConfig.builder(serviceType(type)));
            this.registry = Objects.requireNonNull(registry, "registry");
            this.type = type;
            this.handlers = Objects.requireNonNull(handlers, "handlers");
        }

        /** A node's type, which names its service: any but the gate's and the system's. */
        private static String serviceType(String type) {
            Objects.requireNonNull(type, "type");
            if (NodeMetadata.GATE_TYPE.equals(type) || SystemRoutes.SYSTEM_SERVICE.equals(type)) {
                throw new IllegalArgumentException("'" + type + "' is reserved");
            }
            return type;
        }

        private ProcessConfig processConfig() {
            return process.meters(meters).build();
        }

        /**
         * What one client session may have in hand on this node: messages queued, running or held by a handler's stage
         * not done yet (a room's route), and their body bytes; past either a request is answered
         * {@code TOO_MANY_PENDING} and a notify dropped and counted. 256 messages and 1 MiB by default.
         */
        public Builder sessionLimits(int maxMessages, long maxBytes) {
            this.sessionLimits = new NodeRuntime.SessionLimits(maxMessages, maxBytes);
            return this;
        }

        public Builder linkSettings(LinkSettings settings) {
            this.linkSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * How the links to the gates authenticate, the same as the gates'; {@link LinkSecurity#none()} (loopback
         * gates only) by default.
         */
        public Builder linkSecurity(LinkSecurity security) {
            this.linkSecurity = Objects.requireNonNull(security, "security");
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

        public ServiceNode build() {
            return new ServiceNode(this);
        }
    }
}
