package io.switchboard.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.switchboard.admin.AdminGuard;
import io.switchboard.admin.AdminResponse;
import io.switchboard.admin.AdminRoute;
import io.switchboard.admin.AdminServer;
import io.switchboard.runtime.internal.Drainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The life of one process, the same for every kind: {@link #start} starts admin HTTP and then the parts in order;
 * the process serves; {@link #drain} (admin {@code POST /shutdown}, a newer version online) stops taking new work and
 * exits through the {@link ExitHandler} once the parts hold nothing; {@link #shutdown} (SIGINT/SIGTERM) does the same
 * with the configured grace as deadline; {@link #close} closes the parts in reverse order, then admin and workers.
 *
 * <pre>{@code
 * ProcessRuntime runtime = ProcessRuntime.of(ProcessConfig.builder("gate").build()).add(part).start();
 * runtime.installShutdownHook();
 * }</pre>
 */
public final class ProcessRuntime implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProcessRuntime.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

    /** Where a process is in its life. */
    public enum State { NEW, SERVING, DRAINING, CLOSED }

    private final ProcessConfig config;
    private final List<ProcessPart> parts = new ArrayList<>();
    private final List<ProcessPart> started = new ArrayList<>();
    private final WorkerPool workers;
    private final Drainer drainer;
    private AdminServer admin;
    private JvmGcMetrics gcMetrics;
    private volatile State state = State.NEW;

    private ProcessRuntime(ProcessConfig config) {
        this.config = config;
        // Before any meter is registered, so the cap sees them all.
        config.meters().config().meterFilter(new TagValueCap());
        this.workers = new WorkerPool(config.effectiveWorkerThreads(), config.workerQueue(), config.meters());
        this.drainer = new Drainer(config.kind() + " " + config.id(), this::inFlight, this::stopTakingNew,
                this::close, config.exit());
    }

    public static ProcessRuntime of(ProcessConfig config) {
        return new ProcessRuntime(Objects.requireNonNull(config, "config"));
    }

    /** Adds a part; parts start in the order added. Only before {@link #start}. */
    public synchronized ProcessRuntime add(ProcessPart part) {
        if (state != State.NEW) {
            throw new IllegalStateException("parts are added before start");
        }
        parts.add(Objects.requireNonNull(part, "part"));
        return this;
    }

    /**
     * Adds a part that starts before, and closes after, every part added so far: a service the others use while they
     * close (an event publisher that must flush what they publish last). Only before {@link #start}.
     */
    public synchronized ProcessRuntime addFirst(ProcessPart part) {
        if (state != State.NEW) {
            throw new IllegalStateException("parts are added before start");
        }
        parts.add(0, Objects.requireNonNull(part, "part"));
        return this;
    }

    /** Binds admin HTTP (unless off), then starts the parts; on a failure closes what started and rethrows. */
    public synchronized ProcessRuntime start() throws Exception {
        if (state != State.NEW) {
            throw new IllegalStateException("already started");
        }
        bindJvmMeters();
        try {
            if (config.adminEnabled()) {
                admin = new AdminServer(config.adminHost(), config.adminPort())
                        .limits(config.adminLimits()).meters(config.meters())
                        .guard(new AdminGuard(config.adminToken(), config.adminHost()))
                        .route(HttpMethod.GET, "/health", request -> AdminResponse.json(health().toString()))
                        .route(HttpMethod.POST, "/shutdown", request -> {
                            drain("admin POST /shutdown");
                            return new AdminResponse(HttpResponseStatus.ACCEPTED, "application/json",
                                    "{\"status\":\"draining\"}".getBytes(StandardCharsets.UTF_8));
                        });
                if (config.meters() instanceof PrometheusMeterRegistry prometheus) {
                    admin.route(HttpMethod.GET, "/metrics", request -> new AdminResponse(HttpResponseStatus.OK,
                            PROMETHEUS_TEXT, prometheus.scrape().getBytes(StandardCharsets.UTF_8)));
                }
                admin.start();
            }
            for (ProcessPart part : parts) {
                started.add(part);
                part.start(this);
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
        state = State.SERVING;
        log.info("{} {} (version {}) serving: admin {}, {} workers", config.kind(), config.id(), config.version(),
                admin == null ? "off" : config.adminHost() + ":" + admin.port(), workers.threads());
        return this;
    }

    /** Memory, threads, CPU, open files and uptime: what a soak ({@code bench soak}) watches for growth. */
    private void bindJvmMeters() {
        new JvmMemoryMetrics().bindTo(config.meters());
        new JvmThreadMetrics().bindTo(config.meters());
        new ClassLoaderMetrics().bindTo(config.meters());
        new ProcessorMetrics().bindTo(config.meters());
        new FileDescriptorMetrics().bindTo(config.meters());
        new UptimeMetrics().bindTo(config.meters());
        gcMetrics = new JvmGcMetrics();
        gcMetrics.bindTo(config.meters());
    }

    /** Adds an admin route (a part's own, such as {@code /cluster}); a no-op when admin HTTP is off. */
    public ProcessRuntime adminRoute(HttpMethod method, String path, AdminRoute route) {
        if (admin != null) {
            admin.route(method, path, route);
        }
        return this;
    }

    /** The health every kind reports: status, kind, id, version, then each part's fields. */
    public ObjectNode health() {
        ObjectNode health = JSON.createObjectNode();
        State now = state;
        health.put("status", switch (now) {
            case NEW -> "STARTING";
            case SERVING -> "UP";
            case DRAINING -> "DRAINING";
            case CLOSED -> "DOWN";
        });
        health.put("kind", config.kind());
        health.put("id", config.id());
        health.put("version", config.version());
        if (now == State.SERVING) {
            // Parts refine UP (a node still linking, say); draining and down are the runtime's own word.
            startedParts().forEach(part -> part.health(health));
        } else {
            ObjectNode partsHealth = JSON.createObjectNode();
            startedParts().forEach(part -> part.health(partsHealth));
            partsHealth.remove("status");
            health.setAll(partsHealth);
        }
        return health;
    }

    /** Stops taking new work and exits through the exit handler once the parts hold nothing. No deadline. */
    public void drain(String why) {
        drainer.drain(why);
    }

    /**
     * The SIGINT/SIGTERM path: tells the parts (they leave the registry), drains for at most the configured grace,
     * then closes. Blocks; does not call the exit handler (the JVM is exiting already).
     */
    public void shutdown() {
        startedParts().forEach(ProcessPart::shuttingDown);
        drainer.shutdown("shutdown signal", config.shutdownGrace());
    }

    /** Runs {@link #shutdown} when the JVM is asked to stop (SIGINT, SIGTERM). Returns the hook's thread. */
    public Thread installShutdownHook() {
        Thread hook = new Thread(this::shutdown, "switchboard-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        return hook;
    }

    /** Ends the drain when the last session went; parts call it whenever one ends. Any thread. */
    public void sessionEnded() {
        drainer.check();
    }

    private void stopTakingNew() {
        if (state == State.SERVING) {
            state = State.DRAINING;
        }
        startedParts().forEach(ProcessPart::stopTakingNew);
    }

    /** Sessions (or other work) the parts hold now: what a drain waits for. */
    public int inFlight() {
        int total = 0;
        for (ProcessPart part : startedParts()) {
            total += part.inFlight();
        }
        return total;
    }

    private synchronized List<ProcessPart> startedParts() {
        return List.copyOf(started);
    }

    public ProcessConfig config() {
        return config;
    }

    public WorkerPool workers() {
        return workers;
    }

    public io.micrometer.core.instrument.MeterRegistry meters() {
        return config.meters();
    }

    public State state() {
        return state;
    }

    public boolean isDraining() {
        return state == State.DRAINING;
    }

    public boolean isClosed() {
        return state == State.CLOSED;
    }

    /** The admin port bound, or -1 when admin HTTP is off. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    /** {@code http://host:port} of admin HTTP, or {@code null} when off. */
    public String adminAddress() {
        return admin == null ? null : "http://" + config.adminHost() + ":" + admin.port();
    }

    /** Closes the parts in reverse start order, then admin HTTP and the workers. Idempotent. */
    @Override
    public void close() {
        List<ProcessPart> toClose;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            toClose = new ArrayList<>(started);
        }
        for (int i = toClose.size() - 1; i >= 0; i--) {
            try {
                toClose.get(i).close();
            } catch (RuntimeException e) {
                log.warn("{} {}: closing {} failed", config.kind(), config.id(), toClose.get(i), e);
            }
        }
        if (admin != null) {
            admin.close();
        }
        workers.close();
        drainer.close();
        if (gcMetrics != null) {
            gcMetrics.close();
        }
        log.info("{} {} closed", config.kind(), config.id());
    }
}
