package io.switchboard.cluster;

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
import io.switchboard.cluster.internal.GateRouter;
import io.switchboard.cluster.internal.LinkChannelInitializer;
import io.switchboard.cluster.internal.LinkServer;
import io.switchboard.common.port.PortPlan;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.MessageListener;
import io.switchboard.gate.StateListener;
import io.switchboard.handler.Dispatcher;
import io.switchboard.api.Handlers;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.NodeState;
import io.switchboard.registry.Registration;
import io.switchboard.registry.Registry;
import io.switchboard.transport.Transports;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.api.OnlineUsers;
import io.switchboard.users.SessionDirectory;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A gate of cluster mode: the client port of {@link GateServer}, a cluster port that service nodes link to, and a
 * registration in the registry (type {@code gate}) through which the nodes find it. Client messages of services the
 * gate serves itself ({@link Builder#localHandlers}) run here; all others go to a node of their service, chosen by
 * the {@link PlacementPolicy} once per session and service and sticky afterwards.
 *
 * <p>Users: a session bound to a user id (by a node handler's {@code session.bind}, a node's
 * {@code users().login}, or the acceptor at the handshake) is logged in through the gate's {@link SessionDirectory}
 * with the gate's {@link LoginPolicy}, so single login holds across every gate sharing the directory, and nodes push
 * to a user on whichever gate holds it. The default directory is in memory and private to the gate: enough for one
 * gate; several gates share a {@code RedisSessionDirectory}. The gate keeps its entries alive in the directory and
 * purges those of gates that stopped doing so.
 *
 * <pre>{@code
 * ClusterGate gate = ClusterGate.builder(registry).id("gate-1").build().start();
 * }</pre>
 */
public final class ClusterGate implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterGate.class);

    private final Builder b;
    private final ClusterMetrics metrics;
    private EventLoopGroup linkGroup;
    private ExecutorService localWorkers;
    private GateRouter router;
    private LinkServer linkServer;
    private GateServer gate;
    private AdminServer admin;
    private volatile Registration registration;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> directoryKeeper;
    private SessionDirectory directory;
    private UserSessions users;
    private Drainer drainer;
    private boolean closed;

    private ClusterGate(Builder b) {
        this.b = b;
        this.metrics = new ClusterMetrics(b.meters);
    }

    /** A gate that finds its nodes through {@code registry} (which the caller keeps and closes). */
    public static Builder builder(Registry registry) {
        return new Builder(registry);
    }

    /** Binds both ports, registers, and serves. */
    public synchronized ClusterGate start() throws InterruptedException {
        linkGroup = Transports.newGroup(b.linkThreads, "switchboard-gate-link");
        Set<String> localServices = new HashSet<>();
        MessageListener local = null;
        if (b.localHandlers != null) {
            b.localHandlers.table().routes().forEach(route -> localServices.add(ClusterProtocol.serviceOf(route)));
            localWorkers = Executors.newFixedThreadPool(2, new DefaultThreadFactory("switchboard-gate-worker", true));
            local = new Dispatcher(b.localHandlers, localWorkers, b.gate.build().serializer(), 256, b.meters);
        }
        directory = b.directory != null ? b.directory : new MemorySessionDirectory();
        users = UserSessions.builder(directory).gate(b.id).policy(b.loginPolicy)
                .serializer(b.gate.build().serializer()).build();
        router = new GateRouter(this::nodeId, b.registry, b.linkSettings, b.placement, b.placementKeys,
                localServices, local, b.stateListener, metrics, () -> {
                    if (drainer != null) {
                        drainer.check();
                    }
                }, users);
        try {
            linkServer = new LinkServer(new LinkChannelInitializer(this::nodeId, ClusterProtocol.GATE_TYPE,
                    b.linkSettings, router, metrics), linkGroup).bind(b.clusterHost, b.clusterPort);
            Set<String> routes = new HashSet<>();
            if (b.localHandlers != null) {
                routes.addAll(b.localHandlers.table().routes());
                routes.addAll(b.localHandlers.table().pushRoutes());
            }
            routes.addAll(b.dictionaryRoutes);
            GateServer.Builder server = GateServer.builder(b.gate.dictionary(
                            RouteDictionary.of(FrameworkRoutes.CODES, routes)).build())
                    .acceptor(b.acceptor)
                    .messageListener(router)
                    .stateListener(router)
                    .metrics(new GateMetrics(b.meters));
            if (b.httpFallback != null) {
                server.httpFallback(b.httpFallback);
            }
            gate = server.build().start();
            router.channels(gate.channels());
            users.start(gate).get(10, TimeUnit.SECONDS);
            keepDirectoryAlive();
            if (b.adminPort >= 0) {
                admin = ClusterAdmin.create(b.adminHost, b.adminPort, b.registry, b.meters, this::health,
                        () -> drain("admin POST /shutdown")).start();
            }
            NodeInfo.Builder info = NodeInfo.builder(b.id, ClusterProtocol.GATE_TYPE)
                    .version(b.version)
                    .address(NodeInfo.CLIENT_ADDRESS, "tcp://" + b.advertisedHost + ":" + gate.port())
                    .address(NodeInfo.CLUSTER_ADDRESS, b.advertisedHost + ":" + linkServer.port())
                    .metadata("pid", Long.toString(ProcessHandle.current().pid()));
            if (admin != null) {
                info.address(NodeInfo.ADMIN_ADDRESS, "http://" + b.adminHost + ":" + admin.port());
            }
            registration = b.registry.register(info.build()).join();
            drainer = new Drainer("gate " + b.id, () -> gate.channels().size(), this::stopTakingNew, this::close,
                    b.exit);
            long every = b.linkSettings.checkInterval().toNanos();
            sweeper = linkGroup.scheduleAtFixedRate(router::expire, every, every, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            close();
            throw new IllegalStateException("cannot subscribe to the session directory", e);
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
        log.info("gate {} (node {}): clients on {}, links on {}, admin {}", b.id, registration.nodeId(),
                gate.port(), linkServer.port(), admin == null ? "off" : admin.port());
        return this;
    }

    /** Refreshes this gate's liveness in the directory every third of the TTL, purging gates that lapsed. */
    private void keepDirectoryAlive() {
        users.keepAlive(b.directoryTtl).exceptionally(e -> {
            log.warn("cannot refresh gate {} in the session directory: {}", b.id, e.toString());
            return 0;
        }).join();
        long every = b.directoryTtl.toNanos() / 3;
        directoryKeeper = linkGroup.scheduleAtFixedRate(() -> users.keepAlive(b.directoryTtl).whenComplete((n, e) -> {
            if (e != null) {
                log.warn("cannot refresh gate {} in the session directory: {}", b.id, e.toString());
            } else if (n > 0) {
                log.info("purged the session-directory entries of {} dead gate(s)", n);
            }
        }), every, every, TimeUnit.NANOSECONDS);
    }

    /** The logged-in users, for handlers that run in the gate ({@link Builder#localHandlers}). */
    public OnlineUsers users() {
        return users;
    }

    /** This gate's id in the session directory (its id plus a per-process suffix). */
    public String directoryGateId() {
        return users.gateId();
    }

    /** The node id the registry assigned ({@value NodeInfo#MAX_NODE_ID} before registration). */
    public int nodeId() {
        Registration r = registration;
        // Until registered, HELLO carries the id no registry ever assigns.
        return r == null ? NodeInfo.MAX_NODE_ID : r.nodeId();
    }

    private ObjectNode health() {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.put("status", closed ? "DOWN" : drainer != null && drainer.isDraining() ? "DRAINING" : "UP");
        node.put("type", ClusterProtocol.GATE_TYPE);
        node.put("id", b.id);
        node.put("nodeId", nodeId());
        node.put("sessions", gate == null ? 0 : gate.channels().size());
        node.put("links", metrics.activeLinks());
        return node;
    }

    private void stopTakingNew() {
        gate.stopAccepting();
        Registration r = registration;
        if (r != null && r.isRegistered()) {
            r.update(info -> info.withState(NodeState.DRAINING));
        }
    }

    /** Stops accepting clients and exits (through the exit handler) once the last session is gone. */
    public void drain(String why) {
        drainer.drain(why);
    }

    /**
     * The SIGINT/SIGTERM path: leaves the registry, stops accepting, waits up to {@code deadline} for the sessions
     * to end, then closes. Blocks; does not call the exit handler.
     */
    public void shutdown(Duration deadline) {
        Registration r = registration;
        if (r != null) {
            r.deregister().join();
        }
        drainer.shutdown("shutdown signal", deadline);
    }

    public int port() {
        return gate.port();
    }

    public int clusterPort() {
        return linkServer.port();
    }

    /** The admin HTTP port, or -1 when off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public String id() {
        return b.id;
    }

    public GateServer server() {
        return gate;
    }

    public ClusterMetrics metrics() {
        return metrics;
    }

    /** Node ids of the service nodes linked to this gate. */
    public Set<Integer> linkedNodes() {
        return router.linkedNodes();
    }

    public boolean isDraining() {
        return drainer != null && drainer.isDraining();
    }

    public synchronized boolean isClosed() {
        return closed;
    }

    /** Kicks the sessions, closes the links and ports and leaves the registry. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        if (directoryKeeper != null) {
            directoryKeeper.cancel(false);
        }
        if (admin != null) {
            admin.close();
        }
        if (gate != null) {
            gate.close();
        }
        if (users != null) {
            // After the sessions closed: removes what their logouts left, and stops taking commands.
            users.close();
        }
        if (directory != null && b.directory == null) {
            directory.close();
        }
        if (router != null) {
            router.closeLinks();
        }
        if (linkServer != null) {
            linkServer.close();
        }
        Registration r = registration;
        if (r != null) {
            r.deregister().exceptionally(e -> null).join();
        }
        if (linkGroup != null) {
            linkGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (localWorkers != null) {
            localWorkers.shutdown();
        }
        if (drainer != null) {
            drainer.close();
        }
        log.info("gate {} closed", b.id);
    }

    /** Builds a {@link ClusterGate}. */
    public static final class Builder {
        private final Registry registry;
        private String id = "gate-" + ProcessHandle.current().pid();
        private int version;
        private GateConfig.Builder gate = GateConfig.builder();
        private String clusterHost = "127.0.0.1";
        private int clusterPort = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.SERVICE, 1);
        private String advertisedHost = "127.0.0.1";
        private String adminHost = "127.0.0.1";
        private int adminPort = -1;
        private int linkThreads = 1;
        private LinkSettings linkSettings = LinkSettings.defaults();
        private PlacementPolicy placement = new LowestMemoryPlacement();
        private final Map<String, PlacementKey> placementKeys = new HashMap<>();
        private final Set<String> dictionaryRoutes = new HashSet<>();
        private Handlers localHandlers;
        private Acceptor acceptor = Acceptor.ACCEPT_ALL;
        private StateListener stateListener = StateListener.NOOP;
        private HttpFallback httpFallback;
        private MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private ExitHandler exit = ExitHandler.SYSTEM;
        private SessionDirectory directory;
        private LoginPolicy loginPolicy = LoginPolicy.KICK_OLD;
        private Duration directoryTtl = Duration.ofSeconds(15);

        private Builder(Registry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /** The process id in the registry; unique in the cluster. */
        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** The client port's settings (host, port, heartbeat, TLS...). The dictionary is set by the gate. */
        public Builder gate(GateConfig.Builder gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /** Where the cluster port listens; default 127.0.0.1:10301 (port plan service 3). 0 picks a free port. */
        public Builder cluster(String host, int port) {
            this.clusterHost = Objects.requireNonNull(host, "host");
            this.clusterPort = port;
            return this;
        }

        /** The host nodes and clients are told to dial (published in the registry). */
        public Builder advertisedHost(String host) {
            this.advertisedHost = Objects.requireNonNull(host, "host");
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

        public Builder placement(PlacementPolicy placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
            return this;
        }

        /** Places messages of {@code route} by a key found in them (a room id) instead of by session. */
        public Builder placementKey(String route, PlacementKey key) {
            placementKeys.put(Objects.requireNonNull(route, "route"), Objects.requireNonNull(key, "key"));
            return this;
        }

        /** Routes to put in the handshake's dictionary so clients may compress them (nodes' routes, push routes). */
        public Builder dictionaryRoutes(Set<String> routes) {
            dictionaryRoutes.addAll(routes);
            return this;
        }

        /** Services handled in the gate itself: every service of these handlers' routes. */
        public Builder localHandlers(Handlers handlers) {
            this.localHandlers = Objects.requireNonNull(handlers, "handlers");
            return this;
        }

        public Builder acceptor(Acceptor acceptor) {
            this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
            return this;
        }

        public Builder stateListener(StateListener listener) {
            this.stateListener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** Serves plain HTTP requests on the client port (a web page); the default answers 404. */
        public Builder httpFallback(HttpFallback fallback) {
            this.httpFallback = Objects.requireNonNull(fallback, "fallback");
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

        /**
         * Where logged-in users are kept, shared by every gate of the cluster (a {@code RedisSessionDirectory}); the
         * caller keeps and closes it. Default: in memory, private to this gate, so single login holds on this gate
         * only.
         */
        public Builder directory(SessionDirectory directory) {
            this.directory = Objects.requireNonNull(directory, "directory");
            return this;
        }

        /** What a second login of a user does; {@link LoginPolicy#KICK_OLD} by default. */
        public Builder loginPolicy(LoginPolicy policy) {
            this.loginPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long the directory keeps this gate's entries once it stops refreshing them (it crashed); refreshed every
         * third of it. Default 15 s.
         */
        public Builder directoryTtl(Duration ttl) {
            if (ttl.toMillis() < 3) {
                throw new IllegalArgumentException("directoryTtl too short: " + ttl);
            }
            this.directoryTtl = ttl;
            return this;
        }

        public ClusterGate build() {
            return new ClusterGate(this);
        }
    }
}
