package io.switchboard.server;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.switchboard.admin.AdminResponse;
import io.switchboard.admin.AdminServer;
import io.switchboard.common.port.PortPlan;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.internal.NotFoundHttpFallback;
import io.switchboard.gate.StateListener;
import io.switchboard.handler.Dispatcher;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.Json;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;

/**
 * One JVM with a gate, the handler runtime, Prometheus metrics and the admin HTTP server: the embedded
 * default of {@code switchboard demo}. Build it, {@link #start()}, {@link #close()}.
 */
public final class StandaloneServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneServer.class);

    private final Builder builder;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private JvmGcMetrics gcMetrics;
    private ExecutorService workers;
    private GateServer gate;
    private AdminServer admin;

    private StandaloneServer(Builder builder) {
        this.builder = builder;
    }

    public static Builder builder() {
        return new Builder();
    }

    public synchronized StandaloneServer start() throws InterruptedException {
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ClassLoaderMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(meters);

        HandlerTable table = builder.handlers.table();
        Set<String> routes = new HashSet<>(table.routes());
        routes.addAll(table.pushRoutes());
        RouteDictionary dictionary = RouteDictionary.of(FrameworkRoutes.CODES, routes);
        GateConfig config = builder.gate.dictionary(dictionary).build();

        int threads = builder.workerThreads > 0 ? builder.workerThreads
                : Math.max(2, Runtime.getRuntime().availableProcessors());
        // A FIFO work-stealing pool: per-thread queues mean less contention than one shared queue.
        workers = new ForkJoinPool(threads, pool -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
            thread.setName("switchboard-worker-" + thread.getPoolIndex());
            thread.setDaemon(true);
            return thread;
        }, null, true);
        Dispatcher dispatcher = new Dispatcher(builder.handlers, workers, config.serializer(),
                builder.maxPendingPerSession, meters);
        GateMetrics gateMetrics = new GateMetrics(meters);
        gate = GateServer.builder(config)
                .acceptor(builder.acceptor)
                .messageListener(dispatcher)
                .stateListener(builder.stateListener)
                .httpFallback(builder.httpFallback)
                .metrics(gateMetrics)
                .build();
        try {
            gate.start();
            if (builder.adminPort >= 0) {
                admin = new AdminServer(builder.adminHost, builder.adminPort)
                        .route(HttpMethod.GET, "/health", request -> AdminResponse.json(health()))
                        .route(HttpMethod.GET, "/metrics", request -> new AdminResponse(
                                io.netty.handler.codec.http.HttpResponseStatus.OK,
                                "text/plain; version=0.0.4; charset=utf-8",
                                meters.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .start();
            }
        } catch (InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
        log.info("standalone server ready: client port {}, admin port {}, {} routes, {} workers, {}",
                gate.port(), admin == null ? "off" : admin.port(), table.routes().size(), threads,
                Transports.name());
        return this;
    }

    private String health() {
        var node = Json.MAPPER.createObjectNode();
        node.put("status", gate.isClosed() ? "DOWN" : "UP");
        node.put("sessions", gate.channels().size());
        node.put("transport", Transports.name());
        return node.toString();
    }

    /** The client port actually bound. */
    public int port() {
        return gate.port();
    }

    /** The admin port actually bound, or -1 when the admin server is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public GateServer gate() {
        return gate;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    @Override
    public synchronized void close() {
        if (gate != null) {
            gate.close();
        }
        if (admin != null) {
            admin.close();
        }
        if (workers != null) {
            workers.shutdown();
        }
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        meters.close();
    }

    /** Builds a {@link StandaloneServer}. */
    public static final class Builder {
        private GateConfig.Builder gate = GateConfig.builder();
        private Handlers handlers = new Handlers();
        private Acceptor acceptor = Acceptor.ACCEPT_ALL;
        private StateListener stateListener = StateListener.NOOP;
        private HttpFallback httpFallback = NotFoundHttpFallback.INSTANCE;
        private String adminHost = "127.0.0.1";
        private int adminPort = PortPlan.admin(1);
        private int workerThreads;
        private int maxPendingPerSession = 256;

        private Builder() {
        }

        /** The gate's settings; the route dictionary is derived from the handlers and set here. */
        public Builder gate(GateConfig.Builder gate) {
            this.gate = Objects.requireNonNull(gate, "gate");
            return this;
        }

        public Builder handlers(Handlers handlers) {
            this.handlers = Objects.requireNonNull(handlers, "handlers");
            return this;
        }

        public Builder acceptor(Acceptor acceptor) {
            this.acceptor = Objects.requireNonNull(acceptor, "acceptor");
            return this;
        }

        public Builder stateListener(StateListener stateListener) {
            this.stateListener = Objects.requireNonNull(stateListener, "stateListener");
            return this;
        }

        /** Answers plain HTTP requests on the client port (a web page, say); default a 404. */
        public Builder httpFallback(HttpFallback httpFallback) {
            this.httpFallback = Objects.requireNonNull(httpFallback, "httpFallback");
            return this;
        }

        public Builder adminHost(String adminHost) {
            this.adminHost = Objects.requireNonNull(adminHost, "adminHost");
            return this;
        }

        /** The admin HTTP port; 0 picks a free one, -1 turns the admin server off. Default 19901. */
        public Builder adminPort(int adminPort) {
            this.adminPort = adminPort;
            return this;
        }

        /** Handler threads; 0 means one per core, at least two. */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
            return this;
        }

        /** Messages one session may have queued before further requests are refused. */
        public Builder maxPendingPerSession(int maxPendingPerSession) {
            if (maxPendingPerSession < 1) {
                throw new IllegalArgumentException("maxPendingPerSession must be positive");
            }
            this.maxPendingPerSession = maxPendingPerSession;
            return this;
        }

        public StandaloneServer build() {
            return new StandaloneServer(this);
        }
    }
}
