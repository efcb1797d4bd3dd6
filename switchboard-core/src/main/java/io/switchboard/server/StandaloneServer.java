package io.switchboard.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.api.HandlerTable;
import io.switchboard.api.Handlers;
import io.switchboard.gate.Acceptor;
import io.switchboard.gate.FrameworkRoutes;
import io.switchboard.gate.GateConfig;
import io.switchboard.gate.GateServer;
import io.switchboard.gate.GateSession;
import io.switchboard.gate.HttpFallback;
import io.switchboard.gate.ResumeRefusal;
import io.switchboard.api.SessionListener;
import io.switchboard.gate.StateListener;
import io.switchboard.gate.internal.NotFoundHttpFallback;
import io.switchboard.handler.Dispatcher;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.RouteDictionary;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessOptions;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One JVM with a gate and the handler runtime, composed on the {@link ProcessRuntime} (admin HTTP with
 * {@code /health}, {@code /metrics} and {@code POST /shutdown}; bounded workers; drain and shutdown): the embedded
 * default of {@code switchboard demo}. Build it, {@link #start()}, {@link #close()}.
 */
public final class StandaloneServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StandaloneServer.class);
    /** The process kind in logs and {@code /health}. */
    public static final String KIND = "standalone";

    private final Builder builder;
    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final ProcessRuntime runtime;
    private volatile GateServer gate;

    private StandaloneServer(Builder builder) {
        this.builder = builder;
        this.runtime = ProcessRuntime.of(builder.processConfig(meters));
        // Before the gate: they start first and close last, so what the gate's sessions use outlives them.
        builder.parts.forEach(runtime::add);
        runtime.add(new GatePart());
    }

    public static Builder builder() {
        return new Builder();
    }

    public StandaloneServer start() throws InterruptedException {
        try {
            runtime.start();
        } catch (InterruptedException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the standalone server", e);
        }
        return this;
    }

    /** The client port as the runtime's part: the gate with the handlers on the runtime's workers. */
    private final class GatePart implements ProcessPart {
        @Override
        public void start(ProcessRuntime runtime) throws InterruptedException {
            HandlerTable table = builder.handlers.table();
            Set<String> routes = new HashSet<>(table.routes());
            routes.addAll(table.pushRoutes());
            GateConfig config = builder.gate.dictionary(RouteDictionary.of(FrameworkRoutes.CODES, routes)).build();
            Dispatcher dispatcher = new Dispatcher(builder.handlers, runtime.workers(), config.serializer(),
                    builder.maxPendingPerSession, builder.maxPendingBytesPerSession, meters);
            gate = GateServer.builder(config)
                    .acceptor(builder.acceptor)
                    .messageListener(dispatcher)
                    .stateListener(new StateListener() {
                        @Override
                        public void connected(GateSession session) {
                            builder.stateListener.connected(session);
                        }

                        @Override
                        public void parked(GateSession session, String reason) {
                            builder.stateListener.parked(session, reason);
                        }

                        @Override
                        public void resumed(GateSession session, long replayed) {
                            builder.stateListener.resumed(session, replayed);
                        }

                        @Override
                        public void notResumed(GateSession session, ResumeRefusal why) {
                            builder.stateListener.notResumed(session, why);
                        }

                        @Override
                        public void disconnected(GateSession session, String reason) {
                            try {
                                builder.stateListener.disconnected(session, reason);
                            } finally {
                                runtime.sessionEnded();
                            }
                        }
                    })
                    .httpFallback(builder.httpFallback)
                    .metrics(new GateMetrics(meters))
                    .build()
                    .start();
            log.info("standalone gate: client port {}, {} routes, {}", gate.port(), table.routes().size(),
                    Transports.name());
        }

        @Override
        public void stopTakingNew() {
            gate.stopAccepting();
        }

        @Override
        public int inFlight() {
            return gate.channels().size();
        }

        @Override
        public void health(ObjectNode health) {
            health.put("sessions", gate.channels().size());
            health.put("transport", Transports.name());
        }

        @Override
        public void close() {
            if (gate != null) {
                gate.close();
            }
        }
    }

    /** The client port actually bound. */
    public int port() {
        return gate.port();
    }

    /** The admin port actually bound, or -1 when the admin server is off. */
    public int adminPort() {
        return runtime.adminPort();
    }

    public GateServer gate() {
        return gate;
    }

    public PrometheusMeterRegistry meters() {
        return meters;
    }

    /** The process runtime: drain, shutdown, health. */
    public ProcessRuntime runtime() {
        return runtime;
    }

    @Override
    public void close() {
        runtime.close();
    }

    /** Builds a {@link StandaloneServer}; the options of every process are {@link ProcessOptions}'. */
    public static final class Builder extends ProcessOptions<Builder> {
        private GateConfig.Builder gate = GateConfig.builder();
        private Handlers handlers = new Handlers();
        private Acceptor acceptor = Acceptor.ACCEPT_ALL;
        private StateListener stateListener = StateListener.NOOP;
        private HttpFallback httpFallback = NotFoundHttpFallback.INSTANCE;
        private int maxPendingPerSession = 256;
        private long maxPendingBytesPerSession = Dispatcher.DEFAULT_MAX_PENDING_BYTES;
        private final List<ProcessPart> parts = new ArrayList<>();

        private Builder() {
            super(ProcessConfig.builder(KIND));
        }

        private ProcessConfig processConfig(MeterRegistry meters) {
            return process.meters(meters).build();
        }

        /**
         * Adds a part the gate and handlers use (an event publisher): it starts before the gate and closes after it,
         * so what sessions publish as they close still goes out.
         */
        public Builder part(ProcessPart part) {
            parts.add(Objects.requireNonNull(part, "part"));
            return this;
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

        /** Told when client sessions open and close. */
        public Builder sessionListener(SessionListener listener) {
            this.stateListener = StateListener.of(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /** Answers plain HTTP requests on the client port (a web page, say); default a 404. */
        public Builder httpFallback(HttpFallback httpFallback) {
            this.httpFallback = Objects.requireNonNull(httpFallback, "httpFallback");
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

        /**
         * Body bytes one session may have waiting for the workers before its connection stops being read until they
         * catch up (default {@value Dispatcher#DEFAULT_MAX_PENDING_BYTES}).
         */
        public Builder maxPendingBytesPerSession(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("maxPendingBytesPerSession must be positive");
            }
            this.maxPendingBytesPerSession = bytes;
            return this;
        }

        public StandaloneServer build() {
            return new StandaloneServer(this);
        }
    }
}
