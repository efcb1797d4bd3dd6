package io.switchboard.resource;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.admin.WriteBackpressure;
import io.switchboard.common.log.LogWindow;
import io.switchboard.common.port.PortPlan;
import io.switchboard.common.time.Ticker;
import io.switchboard.resource.config.ConfigLoader;
import io.switchboard.resource.config.ConfigProblem;
import io.switchboard.resource.config.LoadResult;
import io.switchboard.resource.internal.ApiGuard;
import io.switchboard.resource.internal.ApiServer;
import io.switchboard.resource.internal.Catalog;
import io.switchboard.resource.internal.ConfReader;
import io.switchboard.resource.internal.ConfigWatcher;
import io.switchboard.resource.internal.ConnectionLimits;
import io.switchboard.resource.internal.Registrations;
import io.switchboard.resource.probe.Prober;
import io.switchboard.runtime.ProcessConfig;
import io.switchboard.runtime.ProcessOptions;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import io.switchboard.transport.Transports;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The resource manager as a process kind (seed 000, DESIGN §8): a {@link ProcessRuntime} whose part serves a conf
 * directory on the {@code /v1} port (loopback by default, DESIGN §10), probes its {@code heartbeat_list} endpoints,
 * and reloads the directory when it changes, keeping the last good config when a file is bad. It also holds the
 * records of the processes registered through the {@code resource://} registry ({@link ResourceRegistry}), in memory.
 * Admin HTTP is the runtime's, as for every kind.
 *
 * <p>All its state lives on one event loop: probes, watches, reloads and requests. Time is the injected
 * {@link Ticker}; a periodic task on the loop runs {@link #tick}, which tests also call after moving a manual ticker.
 * The conf directory alone is read on a thread of its own ({@code ConfReader}), one look at a time, so a slow disk
 * never stalls the loop; what it read is applied on the loop.
 *
 * <pre>{@code
 * ResourceServer server = ResourceServer.builder(Path.of("conf")).port(12201).build().start();
 * }</pre>
 */
public final class ResourceServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ResourceServer.class);
    /** The resource manager's port in the port plan's default project: 12201. */
    public static final int DEFAULT_PORT = PortPlan.port(PortPlan.DEFAULT_PROJECT, PortPlan.RESOURCE, 1);
    public static final Duration DEFAULT_TICK = Duration.ofMillis(100);
    public static final Duration DEFAULT_RELOAD_EVERY = Duration.ofSeconds(1);
    /** Consul's cap on a blocking query's wait, and its default. */
    public static final Duration DEFAULT_MAX_WAIT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_WATCHES = 10_000;
    /**
     * Connections open at once on {@code /v1}: every watcher (a gate, a node, a page) holds one, so as many as
     * watches, well below a default descriptor limit of 20,000 or more with room for the probes and the admin port.
     */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** Connections from one IP address: a machine runs a few dozen processes, each with a watch or two. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_IP = 256;
    /** How long a keep-alive connection with no request and no parked watch stays open. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** At most one line per interval about a failing tick: it may fail on every tick, ten times a second. */
    private static final Duration TICK_FAILURE_LOG_EVERY = Duration.ofSeconds(10);

    private final Builder b;
    private final ProcessRuntime runtime;
    private EventLoopGroup group;
    private EventLoop loop;
    private Prober prober;
    private Catalog catalog;
    private Registrations registrations;
    private ConfReader confReader;
    private final LogWindow tickFailures;
    private ApiServer api;
    private ScheduledFuture<?> ticking;
    private volatile long index;
    private volatile long generation;
    private volatile List<ConfigProblem> lastErrors = List.of();

    private ResourceServer(Builder b) {
        this.b = b;
        this.runtime = ProcessRuntime.of(b.processConfig()).add(new ResourcePart());
        this.tickFailures = new LogWindow(b.ticker, TICK_FAILURE_LOG_EVERY);
    }

    /** A resource manager serving the conf directory {@code conf}. */
    public static Builder builder(Path conf) {
        return new Builder(conf);
    }

    /** Reads the conf directory (refusing to start on an error: there is no last good config yet), then serves. */
    public ResourceServer start() throws Exception {
        runtime.start();
        return this;
    }

    /**
     * Runs one tick now, on the loop: look at the directory when due, start due probes, end due watches. The future
     * ends once the look this tick started, or found under way, has been applied (a changed directory reloaded).
     */
    public Future<?> tick() {
        Promise<Void> ticked = loop.newPromise();
        loop.execute(() -> onTick().addListener(looked -> ticked.trySuccess(null)));
        return ticked;
    }

    /**
     * Each step on its own guard: Netty does not run a periodic task again once it throws, so one exception would end
     * reloads, probes, watch expiry and the idle sweep for good; and one failing step must not stop the others.
     */
    private Future<Void> onTick() {
        Future<Void> look;
        try {
            look = confReader.look();
        } catch (RuntimeException e) {
            tickFailed("looking at the conf directory", e);
            look = loop.newSucceededFuture(null);
        }
        try {
            prober.tick();
        } catch (RuntimeException e) {
            tickFailed("probing", e);
        }
        try {
            api.expire(b.ticker.nanoTime());
        } catch (RuntimeException e) {
            tickFailed("ending watches and idle connections", e);
        }
        return look;
    }

    private void tickFailed(String step, Throwable e) {
        long heldBack = tickFailures.admit();
        if (heldBack >= 0) {
            log.error("resource manager tick: {} failed; the next tick tries again{}", step,
                    LogWindow.heldBackNote(heldBack), e);
        }
    }

    private void reload(LoadResult result) {
        result.warnings().forEach(problem -> log.warn("{}", problem));
        if (result.ok()) {
            catalog.apply(result.config(), result.warnings());
            registrations.reconcile(result.config());
            log.info("resource config generation {} in force: {} modules, {} endpoints", catalog.generation(),
                    result.config().modules().size(), result.config().endpoints().size());
        } else {
            catalog.rejected(result.errors());
            result.errors().forEach(problem -> log.error("{}", problem));
            log.error("resource config refused: generation {} stays in force", catalog.generation());
        }
        published();
    }

    /** The catalog moved: mirror what other threads read, and answer the watches it concerns. */
    private void published() {
        index = catalog.index();
        generation = catalog.generation();
        lastErrors = catalog.lastErrors();
        api.changed();
    }

    /** The {@code /v1} port bound. */
    public int port() {
        return api.port();
    }

    /** {@code http://host:port} of the {@code /v1} API. */
    public String address() {
        return "http://" + (b.bindHost.contains(":") ? "[" + b.bindHost + "]" : b.bindHost) + ":" + port();
    }

    public int adminPort() {
        return runtime.adminPort();
    }

    /** The change index of the whole catalog. */
    public long index() {
        return index;
    }

    /** The config generation in force (1 after the start, one more per good reload). */
    public long generation() {
        return generation;
    }

    /** The errors of the last reload when it was refused; empty otherwise. */
    public List<ConfigProblem> lastReloadErrors() {
        return lastErrors;
    }

    /** Connections open on the {@code /v1} port now (refused ones not counted). */
    public int connections() throws Exception {
        return onLoop(() -> api.connections());
    }

    /** Blocking watches parked now. */
    public int watches() throws Exception {
        return onLoop(() -> api.watches());
    }

    /** Probes finished since the start; tests wait on it after a tick. */
    public long probesCompleted() throws Exception {
        return onLoop(() -> prober.completed());
    }

    public ProcessRuntime runtime() {
        return runtime;
    }

    /** Runs {@link ProcessRuntime#shutdown} on SIGINT/SIGTERM. */
    public Thread installShutdownHook() {
        return runtime.installShutdownHook();
    }

    @Override
    public void close() {
        runtime.close();
    }

    private <T> T onLoop(Callable<T> task) throws InterruptedException, ExecutionException {
        return loop.submit(task).get();
    }

    /** The manager as the runtime's part: the loop, the prober, the catalog and the {@code /v1} port. */
    private final class ResourcePart implements ProcessPart {
        @Override
        public void start(ProcessRuntime runtime) throws Exception {
            ConfigWatcher watcher = new ConfigWatcher(b.conf, b.ticker, b.reloadEvery, b.lister);
            // Before the load: a change made while it reads shows at the first look rather than never.
            watcher.baseline();
            LoadResult initial = ConfigLoader.load(b.conf);
            initial.warnings().forEach(problem -> log.warn("{}", problem));
            if (!initial.ok()) {
                throw new IllegalArgumentException("the conf directory " + b.conf + " has errors:\n"
                        + initial.errors().stream().map(ConfigProblem::toString).collect(Collectors.joining("\n")));
            }
            group = Transports.newGroup(1, "switchboard-resource");
            loop = group.next();
            confReader = new ConfReader(b.conf, watcher, loop, ResourceServer.this::reload,
                    ResourceServer.this::tickFailed);
            prober = new Prober(loop, b.ticker, b.meters, (endpoint, from, to) -> {
                catalog.stateChanged(endpoint.module());
                registrations.changed();
                published();
            });
            catalog = new Catalog(prober);
            registrations = new Registrations(catalog);
            api = new ApiServer(catalog, registrations, new ApiGuard(b.bindHost, b.allowedHosts,
                    runtime.config().adminToken()), b.ticker, b.maxWait, b.maxWatches,
                    b.limits, b.meters);
            onLoop(() -> {
                catalog.apply(initial.config(), initial.warnings());
                registrations.reconcile(initial.config());
                return null;
            });
            api.bind(group, b.bindHost, b.port);
            onLoop(() -> {
                published();
                return null;
            });
            long every = b.tickEvery.toNanos();
            ticking = loop.scheduleAtFixedRate(ResourceServer.this::onTick, 0, every, TimeUnit.NANOSECONDS);
            log.info("resource manager on {}: {} modules, {} endpoints from {}", address(),
                    initial.config().modules().size(), initial.config().endpoints().size(), b.conf);
        }

        @Override
        public void health(ObjectNode health) {
            health.put("generation", generation);
            health.put("index", index);
            health.put("api", api == null ? null : address());
            health.put("lastReloadError", lastErrors.isEmpty() ? null : lastErrors.get(0).toString());
        }

        @Override
        public void close() {
            if (loop != null) {
                try {
                    onLoop(() -> {
                        confReader.stop();
                        if (ticking != null) {
                            ticking.cancel(false);
                        }
                        prober.close();
                        if (api != null) {
                            api.close();
                        }
                        return null;
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (ExecutionException e) {
                    log.warn("closing the resource manager failed", e.getCause());
                }
            }
            if (confReader != null) {
                confReader.close();
            }
            if (group != null) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    /**
     * Builds a {@link ResourceServer}; every setting starts at its default. Besides the options of every process
     * ({@link ProcessOptions}): the {@link #adminToken admin token} also guards the {@code /v1/registry} writes; with
     * none, registry writes are taken only on a loopback {@code /v1} port.
     */
    public static final class Builder extends ProcessOptions<Builder> {
        private final Path conf;
        private String bindHost = ProcessConfig.DEFAULT_ADMIN_HOST;
        private int port = DEFAULT_PORT;
        private final List<String> allowedHosts = new ArrayList<>();
        private Ticker ticker = Ticker.system();
        private Duration tickEvery = DEFAULT_TICK;
        private Duration reloadEvery = DEFAULT_RELOAD_EVERY;
        private Duration maxWait = DEFAULT_MAX_WAIT;
        private int maxWatches = DEFAULT_MAX_WATCHES;
        private ConnectionLimits limits = new ConnectionLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_IP,
                DEFAULT_IDLE_TIMEOUT, WriteBackpressure.DEFAULT_DEADLINE);
        private MeterRegistry meters;
        private ConfigWatcher.Lister lister = Files::newDirectoryStream;

        private Builder(Path conf) {
            super(ProcessConfig.builder("resource").id("resource"));
            this.conf = Objects.requireNonNull(conf, "conf").toAbsolutePath().normalize();
        }

        /** Where {@code /v1} listens: loopback by default (DESIGN §10). */
        public Builder bind(String host) {
            this.bindHost = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The {@code /v1} port; 0 picks a free one. Default 12201, from the port plan. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** A host name clients may use in {@code Host}/{@code Origin} besides loopback and the bind address. */
        public Builder allowHost(String host) {
            allowedHosts.add(Objects.requireNonNull(host, "host"));
            return this;
        }

        /** The clock of probes, watch timeouts and reload polls; tests pass a manual one. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** How often, in real time, the loop looks at the ticker. */
        public Builder tickEvery(Duration every) {
            this.tickEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        /** How often (ticker time) the conf directory is looked at for changes. */
        public Builder reloadEvery(Duration every) {
            this.reloadEvery = Objects.requireNonNull(every, "every");
            return this;
        }

        /** The longest a blocking watch waits; also its wait when it names none. */
        public Builder maxWait(Duration wait) {
            this.maxWait = Objects.requireNonNull(wait, "wait");
            return this;
        }

        /** Watches that may wait at once; more are refused with 503. */
        public Builder maxWatches(int max) {
            this.maxWatches = max;
            return this;
        }

        /**
         * Connections open at once on {@code /v1}, keep-alive ones and parked watches included; one more is answered
         * 503 with a JSON error and closed. Default {@value #DEFAULT_MAX_CONNECTIONS}.
         */
        public Builder maxConnections(int max) {
            limits = new ConnectionLimits(max, limits.maxPerIp(), limits.idleTimeout(), limits.stalledReaderTimeout());
            return this;
        }

        /** Of those, from one IP address; one more is answered 503 and closed. Default 256. */
        public Builder maxConnectionsPerIp(int max) {
            limits = new ConnectionLimits(limits.maxTotal(), max, limits.idleTimeout(), limits.stalledReaderTimeout());
            return this;
        }

        /**
         * How long (ticker time) a connection with no request in hand and no parked watch stays open: a keep-alive
         * connection between requests, or one that connected and has not sent a whole request. Default 60 s.
         */
        public Builder idleTimeout(Duration timeout) {
            limits = new ConnectionLimits(limits.maxTotal(), limits.maxPerIp(), timeout, limits.stalledReaderTimeout());
            return this;
        }

        /**
         * How long (ticker time) a connection whose peer takes no answers stays open: past 64 KiB of answers waiting
         * it is not read, and closed at this deadline. Default 30 s.
         */
        public Builder stalledReaderTimeout(Duration timeout) {
            limits = new ConnectionLimits(limits.maxTotal(), limits.maxPerIp(), limits.idleTimeout(), timeout);
            return this;
        }

        /** How the conf directory is listed; tests pass one that stalls or fails. */
        Builder lister(ConfigWatcher.Lister lister) {
            this.lister = Objects.requireNonNull(lister, "lister");
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        private ProcessConfig processConfig() {
            return process.meters(meters).build();
        }

        public ResourceServer build() {
            if (meters == null) {
                meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
            }
            return new ResourceServer(this);
        }
    }
}
