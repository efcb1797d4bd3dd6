package io.switchboard.cluster;

import io.switchboard.cluster.protocol.NodeMetadata;
import io.switchboard.cluster.protocol.SystemRoutes;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.admin.AdminResponse;
import io.switchboard.api.Handlers;
import io.switchboard.api.OnlineUsers;
import io.switchboard.cluster.internal.GateRouter;
import io.switchboard.cluster.internal.LinkChannelInitializer;
import io.switchboard.cluster.internal.LinkRole;
import io.switchboard.cluster.internal.LinkServer;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.cluster.internal.NodeRoutes;
import io.switchboard.cluster.internal.PendingRequests;
import io.switchboard.cluster.internal.RegisteredNodeCheck;
import io.switchboard.cluster.internal.RegistrationPart;
import io.switchboard.common.port.PortPlan;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.MessageListener;
import io.switchboard.api.SessionListener;
import io.switchboard.gate.StateListener;
import io.switchboard.handler.Dispatcher;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.registry.NodeInfo;
import io.switchboard.registry.Registry;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessOptions;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import io.switchboard.users.LoginPolicy;
import io.switchboard.users.MemorySessionDirectory;
import io.switchboard.users.SessionDirectory;
import io.switchboard.users.UserSessions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A gate of cluster mode: the client port of {@link GateServer}, a cluster port that service nodes link to, and a
 * registration in the registry (type {@code gate}) through which the nodes find it. Client messages of services the
 * gate serves itself ({@link Builder#localHandlers}) run here; all others go to a node of their service, chosen by
 * the {@link PlacementPolicy} once per session and service and sticky afterwards, or by room for the routes the nodes
 * place by room. The route dictionary clients get holds the gate's routes and every route the nodes publish in the
 * registry, and grows as nodes of new services come.
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
    private static final int DEFAULT_MAX_PENDING = 256;
    private static final int DEFAULT_MAX_PENDING_REQUESTS = 65_536;
    private static final Duration DIRECTORY_SUBSCRIBE_TIMEOUT = Duration.ofSeconds(10);
    private static final Logger log = LoggerFactory.getLogger(ClusterGate.class);

    private final Builder b;
    private final ClusterMetrics metrics;
    private final ProcessRuntime runtime;
    private EventLoopGroup linkGroup;
    private GateRouter router;
    private NodeRoutes nodeRoutes;
    private LinkServer linkServer;
    private GateServer gate;
    private final RegistrationPart registration;
    private ScheduledFuture<?> sweeper;
    private ScheduledFuture<?> directoryKeeper;
    private SessionDirectory directory;
    private UserSessions users;

    private ClusterGate(Builder b) {
        this.b = b;
        // Stays registered, draining, through a shutdown signal's drain: its nodes keep their links while it drains.
        this.registration = new RegistrationPart(b.registry, this::nodeInfo, false);
        // Parts close in reverse: the quiesce first, while the entry and links are still there.
        this.runtime = ProcessRuntime.of(b.processConfig()).add(new GatePart()).add(registration)
                .add(new QuiescePart());
        // After the runtime, which sets the registry's filters before any meter.
        this.metrics = new ClusterMetrics(b.meters);
    }

    /** A gate that finds its nodes through {@code registry} (which the caller keeps and closes). */
    public static Builder builder(Registry registry) {
        return new Builder(registry);
    }

    /** Binds both ports, registers, and serves. */
    public ClusterGate start() throws InterruptedException {
        try {
            runtime.start();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start gate " + id(), e);
        }
        log.info("gate {} (node {}): clients on {}, links on {}, admin {}", id(), registration.nodeId(),
                gate.port(), linkServer.port(), runtime.adminPort() < 0 ? "off" : runtime.adminPort());
        return this;
    }

    /** The gate as the runtime's part: client port, cluster port and session directory. */
    private final class GatePart implements ProcessPart {
        @Override
        public void start(ProcessRuntime runtime) throws Exception {
            checkLinkExposure();
            linkGroup = Transports.newGroup(b.linkThreads, "switchboard-gate-link");
            Set<String> localServices = new HashSet<>();
            MessageListener local = null;
            GateConfig config = b.gate.build();
            if (b.localHandlers != null) {
                b.localHandlers.table().routes().forEach(route -> localServices.add(SystemRoutes.serviceOf(route)));
                local = new Dispatcher(b.localHandlers, runtime.workers(), config.serializer(), b.maxPendingPerSession,
                        b.meters);
            }
            directory = b.directory != null ? b.directory : new MemorySessionDirectory();
            users = UserSessions.builder(directory).gate(id()).policy(b.loginPolicy)
                    .serializer(config.serializer()).build();
            Set<String> localRoutes = new HashSet<>();
            if (b.localHandlers != null) {
                localRoutes.addAll(b.localHandlers.table().routes());
                localRoutes.addAll(b.localHandlers.table().pushRoutes());
            }
            // The nodes' routes and room keys come from their registry entries, never from the gate's settings.
            nodeRoutes = new NodeRoutes(b.registry, localRoutes);
            router = new GateRouter(ClusterGate.this::nodeId, b.registry, b.linkSettings, b.placement,
                    nodeRoutes::placementKey, localServices, local, b.stateListener, metrics, runtime::sessionEnded,
                    users, b.maxPendingPerSession, b.maxPendingRequests);
            linkServer = new LinkServer(new LinkChannelInitializer(ClusterGate.this::nodeId, NodeMetadata.GATE_TYPE,
                    LinkRole.ACCEPTOR, b.linkSettings, b.linkSecurity,
                    new RegisteredNodeCheck(b.registry, router::isLinked), router, metrics), linkGroup)
                    .bind(b.clusterHost, b.clusterPort);
            GateServer.Builder server = GateServer.builder(b.gate.dictionary(nodeRoutes.dictionary()).build())
                    .acceptor(b.acceptor)
                    .messageListener(router)
                    .stateListener(router)
                    .otherGates(router.otherGates())
                    .metrics(new GateMetrics(b.meters));
            if (b.httpFallback != null) {
                server.httpFallback(b.httpFallback);
            }
            gate = server.build().start();
            nodeRoutes.follow(gate::dictionary);
            router.channels(gate.channels());
            router.releaser(gate::releaseParked);
            try {
                users.start(gate).get(DIRECTORY_SUBSCRIBE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot subscribe to the session directory", e);
            }
            keepDirectoryAlive();
            runtime.adminRoute(HttpMethod.GET, "/cluster", request ->
                    AdminResponse.json(Json.MAPPER.writeValueAsString(b.registry.nodes())));
            // The hop timestamps of the last answered requests, newest first (seed 000's trace, read).
            runtime.adminRoute(HttpMethod.GET, "/debug/traces", request ->
                    AdminResponse.json(Json.MAPPER.writeValueAsString(metrics.hopTraces().recent())));
            long every = b.linkSettings.checkInterval().toNanos();
            sweeper = linkGroup.scheduleAtFixedRate(router::expire, every, every, TimeUnit.NANOSECONDS);
        }

        @Override
        public void stopTakingNew() {
            gate.stopAccepting();
        }

        @Override
        public int inFlight() {
            return gate == null ? 0 : gate.channels().size();
        }

        @Override
        public void health(ObjectNode health) {
            health.put("type", NodeMetadata.GATE_TYPE);
            health.put("nodeId", nodeId());
            health.put("sessions", inFlight());
            health.put("links", metrics.activeLinks());
            if (router != null) {
                ObjectNode placeable = health.putObject("placeable");
                router.placeable().forEach(placeable::put);
            }
        }

        /** Kicks the sessions, closes the links and ports and leaves the registry. */
        @Override
        public void close() {
            if (sweeper != null) {
                sweeper.cancel(false);
            }
            if (directoryKeeper != null) {
                directoryKeeper.cancel(false);
            }
            if (nodeRoutes != null) {
                nodeRoutes.close();
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
            if (linkGroup != null) {
                linkGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /**
     * Closed first: answers every client request the gate holds before the registry entry and the links go. After a
     * drain (a shutdown signal, {@code POST /shutdown}) it waits for the nodes' answers; a plain close does not.
     */
    private final class QuiescePart implements ProcessPart {
        private volatile boolean drained;

        @Override
        public void start(ProcessRuntime runtime) {
        }

        @Override
        public void stopTakingNew() {
            drained = true;
        }

        @Override
        public void close() {
            if (router != null) {
                router.quiesce(drained ? b.linkSettings.quiesceLimit() : Duration.ZERO);
            }
        }
    }

    /**
     * Without a secret or TLS anyone who reaches the cluster port would be a node, so it may bind to loopback only
     * (and then takes loopback peers only).
     */
    private void checkLinkExposure() {
        if (b.linkSecurity.authenticatesPeers()) {
            return;
        }
        if (!Loopback.isLoopback(b.clusterHost)) {
            throw new IllegalStateException("the cluster port would bind to " + b.clusterHost + " with no "
                    + LinkSecurity.SECRET_ENV + " and no link TLS: set one, or bind it to loopback");
        }
        log.warn("cluster links of gate {} are not authenticated (no {} and no link TLS): loopback nodes only",
                id(), LinkSecurity.SECRET_ENV);
    }

    /** This gate in the registry: where clients and nodes reach it. */
    private NodeInfo nodeInfo(ProcessRuntime runtime) {
        NodeInfo.Builder info = NodeInfo.builder(id(), NodeMetadata.GATE_TYPE)
                .version(runtime.config().version())
                .address(NodeInfo.CLIENT_ADDRESS, "tcp://" + b.advertisedHost + ":" + gate.port())
                .address(NodeInfo.CLUSTER_ADDRESS, b.advertisedHost + ":"
                        + (b.advertisedClusterPort != 0 ? b.advertisedClusterPort : linkServer.port()))
                .metadata("pid", Long.toString(ProcessHandle.current().pid()));
        if (runtime.adminAddress() != null) {
            info.address(NodeInfo.ADMIN_ADDRESS, runtime.adminAddress());
        }
        return info.build();
    }

    /** Refreshes this gate's liveness in the directory every third of the TTL, purging gates that lapsed. */
    private void keepDirectoryAlive() {
        users.keepAlive(b.directoryTtl).exceptionally(e -> {
            log.warn("cannot refresh gate {} in the session directory: {}", id(), e.toString());
            return 0;
        }).join();
        long every = b.directoryTtl.toNanos() / 3;
        directoryKeeper = linkGroup.scheduleAtFixedRate(() -> users.keepAlive(b.directoryTtl).whenComplete((n, e) -> {
            if (e != null) {
                log.warn("cannot refresh gate {} in the session directory: {}", id(), e.toString());
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
        // Until registered, HELLO carries the id no registry ever assigns.
        return registration.nodeId();
    }

    /** Stops accepting clients and exits (through the exit handler) once the last session is gone. */
    public void drain(String why) {
        runtime.drain(why);
    }

    /**
     * The SIGINT/SIGTERM path: leaves the registry, stops accepting, waits up to the shutdown grace for the sessions
     * to end, then closes. Blocks; does not call the exit handler.
     */
    public void shutdown() {
        runtime.shutdown();
    }

    public int port() {
        return gate.port();
    }

    public int clusterPort() {
        return linkServer.port();
    }

    /** The admin HTTP port, or -1 when off. */
    public int adminPort() {
        return runtime.adminPort();
    }

    public String id() {
        return runtime.config().id();
    }

    public GateServer server() {
        return gate;
    }

    public ClusterMetrics metrics() {
        return metrics;
    }

    /** The process runtime: health, drain, shutdown hook. */
    public ProcessRuntime runtime() {
        return runtime;
    }

    /** Node ids of the service nodes linked to this gate. */
    public Set<Integer> linkedNodes() {
        return router.linkedNodes();
    }

    public boolean isDraining() {
        return runtime.isDraining();
    }

    public boolean isClosed() {
        return runtime.isClosed();
    }

    /** Kicks the sessions, closes the links and ports and leaves the registry. */
    @Override
    public void close() {
        runtime.close();
    }

    /**
     * Builds a {@link ClusterGate}. Besides the options of every process ({@link ProcessOptions}): its worker threads
     * run the {@link #localHandlers}; its admin HTTP adds {@code GET /cluster} and {@code GET /debug/traces}.
     */
    public static final class Builder extends ProcessOptions<Builder> {
        private final Registry registry;
        private GateConfig.Builder gate = GateConfig.builder();
        private String clusterHost = "127.0.0.1";
        private int clusterPort = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.SERVICE, 1);
        private String advertisedHost = "127.0.0.1";
        private int advertisedClusterPort;
        private int maxPendingPerSession = DEFAULT_MAX_PENDING;
        private int maxPendingRequests = DEFAULT_MAX_PENDING_REQUESTS;
        private int linkThreads = 1;
        private LinkSettings linkSettings = LinkSettings.defaults();
        private LinkSecurity linkSecurity = LinkSecurity.none();
        private PlacementPolicy placement = new LowestMemoryPlacement();
        private Handlers localHandlers;
        private Acceptor acceptor = Acceptor.ACCEPT_ALL;
        private StateListener stateListener = StateListener.NOOP;
        private HttpFallback httpFallback;
        private MeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        private SessionDirectory directory;
        private LoginPolicy loginPolicy = LoginPolicy.KICK_OLD;
        private Duration directoryTtl = Duration.ofSeconds(15);

        private Builder(Registry registry) {
            super(ProcessConfig.builder(NodeMetadata.GATE_TYPE));
            this.registry = Objects.requireNonNull(registry, "registry");
        }

        /**
         * Requests one session may have in progress, forwarded to nodes and waiting for their answer (and, apart,
         * messages queued for {@link #localHandlers}); further requests are answered {@code TOO_MANY_PENDING}.
         * Default 256.
         */
        public Builder maxPendingPerSession(int max) {
            if (max < 1) {
                throw new IllegalArgumentException("maxPendingPerSession must be positive");
            }
            this.maxPendingPerSession = max;
            return this;
        }

        /**
         * Requests the gate may have forwarded and unanswered in all, its clients' and those it relays between
         * nodes; further requests are answered {@code OVERLOADED}. Default 65,536, at most 16,777,216 (the table is
         * sized for it up front: 8 to 32 bytes per request).
         */
        public Builder maxPendingRequests(int max) {
            if (max < 1 || max > PendingRequests.MAX_CAPACITY) {
                throw new IllegalArgumentException("maxPendingRequests must be between 1 and "
                        + PendingRequests.MAX_CAPACITY + ": " + max);
            }
            this.maxPendingRequests = max;
            return this;
        }

        /** The client port's settings (host, port, heartbeat, TLS...). The dictionary is set by the gate. */
        public Builder gate(GateConfig.Builder gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        /**
         * Where the cluster port binds; default 127.0.0.1:10301 (port plan service 3). 0 picks a free port. This is
         * not the host nodes are told to dial ({@link #advertisedHost}); anything but loopback needs
         * {@link #linkSecurity} with a secret or TLS.
         */
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

        /**
         * The cluster port nodes are told to dial where it is not the one bound: a port that a container's mapping or
         * a forwarder leads to it. 0, the default, publishes the bound port.
         */
        public Builder advertisedClusterPort(int port) {
            if (port < 0 || port > 65_535) {
                throw new IllegalArgumentException("not a port: " + port);
            }
            this.advertisedClusterPort = port;
            return this;
        }

        public Builder linkSettings(LinkSettings settings) {
            this.linkSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How cluster links authenticate nodes; {@link LinkSecurity#none()} (loopback only) by default. */
        public Builder linkSecurity(LinkSecurity security) {
            this.linkSecurity = Objects.requireNonNull(security, "security");
            return this;
        }

        public Builder placement(PlacementPolicy placement) {
            this.placement = Objects.requireNonNull(placement, "placement");
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

        /** Told when client sessions open and close. */
        public Builder sessionListener(SessionListener listener) {
            this.stateListener = StateListener.of(Objects.requireNonNull(listener, "listener"));
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

        private ProcessConfig processConfig() {
            return process.meters(meters).build();
        }

        public ClusterGate build() {
            return new ClusterGate(this);
        }
    }
}
