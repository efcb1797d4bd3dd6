package io.switchboard.globaldb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.common.time.Ticker;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The liveness record every Switchboard process writes to globaldb: once started, {@code recordStart}
 * ({@code startcount} + 1, pid, {@code lastupdate}), then every interval {@code recordAlive} with {@code info} =
 * {@code {"kind","sessions","heapUsed","heapMax","cpu","version"}} ({@code cpu}: this process's recent CPU load,
 * 0 to 1, -1 when the JVM cannot tell). A daemon judges the process hung when {@code lastupdate} is older than
 * {@link #DEFAULT_HUNG_AFTER_INTERVALS} intervals, whatever its pid says.
 *
 * <p>globaldb is never a reason to die: a failed write is logged (at most once per {@link #LOG_EVERY}) and tried
 * again at the next tick; a start that could not be recorded is recorded at the first tick that can.
 */
public final class ProcessRecordPart implements ProcessPart {
    private static final Logger log = LoggerFactory.getLogger(ProcessRecordPart.class);
    /** The environment a daemon starts a Switchboard role with, so it writes its own record (DESIGN §9). */
    public static final String GLOBALDB_ENV = "SWITCHBOARD_GLOBALDB";
    public static final String PROCESS_KEY_ENV = "SWITCHBOARD_PROCESS_KEY";
    public static final String RECORD_INTERVAL_ENV = "SWITCHBOARD_RECORD_INTERVAL_MS";
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(1);
    /** k of "hung when {@code now - lastupdate > k × interval}". */
    public static final int DEFAULT_HUNG_AFTER_INTERVALS = 5;
    /** How often a run of failed writes is logged. */
    public static final Duration LOG_EVERY = Duration.ofSeconds(30);

    private final GlobalDb db;
    private final ProcessKey key;
    private final Duration interval;
    private final Ticker ticker;
    private final LongSupplier wallMillis;
    private final long pid;
    private final boolean ownsDb;
    private final ScheduledExecutorService givenScheduler;
    private IntSupplier sessions;
    private String kind;
    private String version;

    private ScheduledExecutorService scheduler;
    private ScheduledFuture<?> schedule;
    private boolean started;
    private boolean failing;
    private long lastLogNanos;
    private long failuresSinceLog;
    private long failuresInRow;
    private volatile boolean closed;

    private ProcessRecordPart(Builder b) {
        this.db = b.db;
        this.key = b.key;
        this.interval = b.interval;
        this.ticker = b.ticker;
        this.wallMillis = b.wallMillis;
        this.pid = b.pid;
        this.ownsDb = b.ownsDb;
        this.givenScheduler = b.scheduler;
        this.sessions = b.sessions;
        this.kind = b.kind;
        this.version = b.version;
    }

    /** A part writing {@code key}'s record into {@code db}. */
    public static Builder builder(GlobalDb db, ProcessKey key) {
        return new Builder(db, key);
    }

    /** As a runtime's part: kind, version and sessions default to the runtime's own. */
    @Override
    public void start(ProcessRuntime runtime) {
        if (kind == null) {
            kind = runtime.config().kind();
        }
        if (version == null) {
            version = Integer.toString(runtime.config().version());
        }
        if (sessions == null) {
            sessions = runtime::inFlight;
        }
        start();
    }

    /** Starts writing, for a process without a {@link ProcessRuntime}: the first write is at once, on the scheduler. */
    public synchronized void start() {
        if (schedule != null) {
            throw new IllegalStateException("started already");
        }
        scheduler = givenScheduler != null ? givenScheduler : Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "globaldb-record");
            thread.setDaemon(true);
            return thread;
        });
        long every = interval.toNanos();
        schedule = scheduler.scheduleAtFixedRate(this::tick, 0, every, TimeUnit.NANOSECONDS);
        log.info("writing the globaldb record {} every {} ms", key, interval.toMillis());
    }

    /**
     * One write: the start if it is not recorded yet, then the process's stats. The schedule runs it; tests call it
     * to step time. Never throws.
     */
    public synchronized void tick() {
        if (closed) {
            return;
        }
        try {
            long now = wallMillis.getAsLong();
            if (!started) {
                db.recordStart(key, pid, now);
                started = true;
            }
            db.recordAlive(key, pid, info(), now);
            if (failing) {
                log.info("globaldb record {} written again after {} failed write(s)", key, failuresInRow);
                failing = false;
                failuresSinceLog = 0;
                failuresInRow = 0;
            }
        } catch (RuntimeException e) {
            failed(e);
        }
    }

    private void failed(RuntimeException e) {
        failuresSinceLog++;
        failuresInRow++;
        long now = ticker.nanoTime();
        if (!failing || now - lastLogNanos >= LOG_EVERY.toNanos()) {
            log.warn("globaldb record {} not written ({} failure(s) since the last warning; trying again every {} ms):"
                    + " {}", key, failuresSinceLog, interval.toMillis(), e.toString());
            lastLogNanos = now;
            failuresSinceLog = 0;
        }
        failing = true;
    }

    /** The {@code info} of the next write. */
    ObjectNode info() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return GlobalDbJson.MAPPER.createObjectNode()
                .put("kind", kind == null ? "" : kind)
                .put("sessions", sessions == null ? 0 : sessions.getAsInt())
                .put("heapUsed", heap.getUsed())
                .put("heapMax", heap.getMax())
                .put("cpu", cpuLoad())
                .put("version", version == null ? "" : version);
    }

    private static double cpuLoad() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            return load < 0 ? -1 : Math.round(load * 1000) / 1000.0;
        }
        return -1;
    }

    /** Whether the last write failed. */
    public synchronized boolean isFailing() {
        return failing;
    }

    public ProcessKey key() {
        return key;
    }

    public Duration interval() {
        return interval;
    }

    /** Stops writing (the record stays: its age tells the daemon the process is gone). */
    @Override
    public void close() {
        closed = true;
        synchronized (this) {
            if (schedule != null) {
                schedule.cancel(false);
            }
            if (scheduler != null && givenScheduler == null) {
                scheduler.shutdownNow();
            }
            if (ownsDb) {
                db.close();
            }
        }
    }

    @Override
    public String toString() {
        return "ProcessRecordPart[" + key + "]";
    }

    public static final class Builder {
        private final GlobalDb db;
        private final ProcessKey key;
        private Duration interval = DEFAULT_INTERVAL;
        private Ticker ticker = Ticker.system();
        private LongSupplier wallMillis = System::currentTimeMillis;
        private long pid = ProcessHandle.current().pid();
        private boolean ownsDb;
        private ScheduledExecutorService scheduler;
        private IntSupplier sessions;
        private String kind;
        private String version;

        private Builder(GlobalDb db, ProcessKey key) {
            this.db = Objects.requireNonNull(db, "db");
            this.key = Objects.requireNonNull(key, "key");
        }

        /** Time between writes (default 1 s). */
        public Builder interval(Duration interval) {
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("the record interval must be positive: " + interval);
            }
            this.interval = interval;
            return this;
        }

        /** Monotonic time, for spacing the warnings of failed writes. */
        public Builder ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /** Wall time in epoch ms, written as {@code lastupdate}. */
        public Builder wallClock(LongSupplier wallMillis) {
            this.wallMillis = Objects.requireNonNull(wallMillis, "wallMillis");
            return this;
        }

        /** The pid written (default this JVM's). */
        public Builder pid(long pid) {
            this.pid = pid;
            return this;
        }

        /** Runs the writes on this scheduler, which the caller owns (default: a thread of the part's own). */
        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        /** The sessions (or other work) in hand (default: the runtime's in-flight count, or 0 without one). */
        public Builder sessions(IntSupplier sessions) {
            this.sessions = sessions;
            return this;
        }

        /** What the process is, e.g. {@code gate} (default: the runtime's kind). */
        public Builder kind(String kind) {
            this.kind = kind;
            return this;
        }

        /** The version the process reports (default: the runtime's code version). */
        public Builder version(String version) {
            this.version = version;
            return this;
        }

        /** The part closes {@code db} when it closes. */
        public Builder ownsDb(boolean ownsDb) {
            this.ownsDb = ownsDb;
            return this;
        }

        public ProcessRecordPart build() {
            return new ProcessRecordPart(this);
        }
    }
}
