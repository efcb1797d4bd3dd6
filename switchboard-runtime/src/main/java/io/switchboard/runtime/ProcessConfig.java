package io.switchboard.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.switchboard.admin.HttpPortLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * What every Switchboard process is told, whatever its kind: who it is, where its admin HTTP listens, how many
 * workers it runs and how many tasks may wait for them, how long a shutdown may drain, and how it exits. Immutable;
 * the defaults are the same for every kind.
 *
 * @param kind          what the process is ({@code standalone}, {@code gate}, a service type...), for logs and health
 * @param id            the process's id, unique in its cluster
 * @param version       the version of the code it serves; a higher one takes over from a lower (DESIGN §5)
 * @param adminHost     where admin HTTP listens; loopback by default (DESIGN §10)
 * @param adminPort     the admin port; 0 picks a free one, -1 turns admin HTTP off
 * @param workerThreads handler threads; 0 means one per core, at least two
 * @param workerQueue   tasks that may wait for a worker before new ones are refused with {@code OVERLOADED}
 * @param shutdownGrace how long SIGINT/SIGTERM waits for sessions to end before stopping anyway
 * @param exit          what ends the process after a drain with no deadline
 * @param meters        where the process's meters go; served at {@code /metrics} when it is Prometheus
 * @param adminToken    the bearer token of state-changing admin calls ({@code POST /shutdown}); {@code null} turns
 *                      them off. From {@value #ADMIN_TOKEN_ENV} by default; never printed.
 * @param adminLimits   admin HTTP's connection caps and deadlines
 */
public record ProcessConfig(String kind, String id, int version, String adminHost, int adminPort,
                            int workerThreads, int workerQueue, Duration shutdownGrace, ExitHandler exit,
                            MeterRegistry meters, String adminToken, HttpPortLimits adminLimits) {

    /** Where the admin token comes from: the environment, so it shows in no command line. */
    public static final String ADMIN_TOKEN_ENV = "SWITCHBOARD_ADMIN_TOKEN";

    /** DESIGN §5: drain up to 8 s on a shutdown signal, then exit anyway. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(8);
    /** Sessions with work waiting (each one task at a time) before the workers refuse more. */
    public static final int DEFAULT_WORKER_QUEUE = 65_536;
    public static final String DEFAULT_ADMIN_HOST = "127.0.0.1";
    /** Admin HTTP is on by default, on loopback, on a free port (published where the kind registers). */
    public static final int DEFAULT_ADMIN_PORT = 0;
    public static final int ADMIN_OFF = -1;
    private static final int MIN_WORKERS = 2;

    public ProcessConfig {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(adminHost, "adminHost");
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        Objects.requireNonNull(exit, "exit");
        Objects.requireNonNull(meters, "meters");
        Objects.requireNonNull(adminLimits, "adminLimits");
        if (adminPort < ADMIN_OFF || adminPort > 65_535) {
            throw new IllegalArgumentException("adminPort out of range: " + adminPort);
        }
        if (workerThreads < 0 || workerQueue < 1) {
            throw new IllegalArgumentException("workers need threads >= 0 and a queue >= 1");
        }
    }

    public static Builder builder(String kind) {
        return new Builder(kind);
    }

    /** The worker threads to start: the configured count, or one per core and at least two. */
    public int effectiveWorkerThreads() {
        return workerThreads > 0 ? workerThreads : Math.max(MIN_WORKERS, Runtime.getRuntime().availableProcessors());
    }

    public boolean adminEnabled() {
        return adminPort != ADMIN_OFF;
    }

    /** Like the record's, without the admin token. */
    @Override
    public String toString() {
        return "ProcessConfig[kind=" + kind + ", id=" + id + ", version=" + version + ", admin=" + adminHost + ":"
                + adminPort + ", workers=" + workerThreads + "/" + workerQueue + ", shutdownGrace=" + shutdownGrace
                + ", adminToken=" + (adminToken == null ? "none" : "set") + "]";
    }

    /** Builds a {@link ProcessConfig}; every setting starts at the shared default. */
    public static final class Builder {
        private final String kind;
        private String id;
        private int version;
        private String adminHost = DEFAULT_ADMIN_HOST;
        private int adminPort = DEFAULT_ADMIN_PORT;
        private int workerThreads;
        private int workerQueue = DEFAULT_WORKER_QUEUE;
        private Duration shutdownGrace = DEFAULT_SHUTDOWN_GRACE;
        private ExitHandler exit = ExitHandler.SYSTEM;
        private MeterRegistry meters;
        private String adminToken = System.getenv(ADMIN_TOKEN_ENV);
        private HttpPortLimits adminLimits = HttpPortLimits.ADMIN_DEFAULTS;

        private Builder(String kind) {
            this.kind = Objects.requireNonNull(kind, "kind");
            this.id = kind + "-" + ProcessHandle.current().pid();
        }

        public Builder id(String id) {
            this.id = Objects.requireNonNull(id, "id");
            return this;
        }

        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** Admin HTTP's address; port 0 picks a free one, {@link #ADMIN_OFF} turns it off. */
        public Builder admin(String host, int port) {
            this.adminHost = Objects.requireNonNull(host, "host");
            this.adminPort = port;
            return this;
        }

        public Builder workerThreads(int threads) {
            this.workerThreads = threads;
            return this;
        }

        public Builder workerQueue(int capacity) {
            this.workerQueue = capacity;
            return this;
        }

        public Builder shutdownGrace(Duration grace) {
            this.shutdownGrace = Objects.requireNonNull(grace, "grace");
            return this;
        }

        public Builder exit(ExitHandler exit) {
            this.exit = Objects.requireNonNull(exit, "exit");
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = Objects.requireNonNull(meters, "meters");
            return this;
        }

        /** The bearer token of state-changing admin calls; {@code null} turns them off. */
        public Builder adminToken(String token) {
            this.adminToken = token;
            return this;
        }

        /** Admin HTTP's connection caps and deadlines; {@link HttpPortLimits#ADMIN_DEFAULTS} unless set. */
        public Builder adminLimits(HttpPortLimits limits) {
            this.adminLimits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        public ProcessConfig build() {
            return new ProcessConfig(kind, id, version, adminHost, adminPort, workerThreads, workerQueue,
                    shutdownGrace, exit, meters != null ? meters : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                    adminToken == null || adminToken.isEmpty() ? null : adminToken, adminLimits);
        }
    }
}
