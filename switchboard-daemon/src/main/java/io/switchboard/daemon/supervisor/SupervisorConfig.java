package io.switchboard.daemon.supervisor;

import io.switchboard.common.time.Backoff;
import io.switchboard.globaldb.ProcessRecordPart;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link Supervisor} runs its machine's processes.
 *
 * @param logDir          where each process's output goes, as {@code <name>.log}
 * @param startSeconds    how long a process must live to count as started (supervisord's startsecs)
 * @param startRetries    exits in a row before {@code startSeconds} that make a process FATAL
 * @param backoff         the delay before each restart in a row
 * @param stopGrace       SIGTERM to SIGKILL; longer than a node's 8 s drain
 * @param recordInterval  how often a Switchboard process writes its globaldb record, and how often the supervisor
 *                        checks them (and writes the records of plain programs)
 * @param hungFactor      a record older than {@code hungFactor × recordInterval} means hung
 * @param startGrace      a Switchboard process that has written no record this long after its start is hung too
 * @param logMaxBytes     a log file larger than this is rotated
 * @param logBackups      rotated files kept: {@code <name>.log.1} (newest) to {@code <name>.log.N}
 * @param logCheckInterval how often log sizes are checked
 * @param logTailMaxBytes the most bytes {@link Supervisor#logTail} reads
 * @param autoStart       whether {@link Supervisor#start()} starts the processes that are neither adopted nor were
 *                        left stopped or FATAL (their globaldb state says so)
 */
public record SupervisorConfig(Path logDir, Duration startSeconds, int startRetries, Backoff backoff,
                               Duration stopGrace, Duration recordInterval, int hungFactor, Duration startGrace,
                               long logMaxBytes, int logBackups, Duration logCheckInterval, int logTailMaxBytes,
                               boolean autoStart) {

    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(12);
    public static final Duration DEFAULT_RECORD_INTERVAL = ProcessRecordPart.DEFAULT_INTERVAL;
    public static final int DEFAULT_HUNG_FACTOR = ProcessRecordPart.DEFAULT_HUNG_AFTER_INTERVALS;

    public SupervisorConfig {
        Objects.requireNonNull(logDir, "logDir");
        Objects.requireNonNull(backoff, "backoff");
        positive(startSeconds, "startSeconds");
        positive(stopGrace, "stopGrace");
        positive(recordInterval, "recordInterval");
        positive(startGrace, "startGrace");
        positive(logCheckInterval, "logCheckInterval");
        if (startRetries < 1 || logMaxBytes < 1 || logBackups < 1 || logTailMaxBytes < 1) {
            throw new IllegalArgumentException("startRetries, logMaxBytes, logBackups and logTailMaxBytes must be at "
                    + "least 1");
        }
        if (hungFactor < 2) {
            // One interval of silence is a record due now, not a hung process.
            throw new IllegalArgumentException("hungFactor must be at least 2: " + hungFactor);
        }
    }

    private static void positive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }

    /** A record older than this means hung. */
    public Duration hungAfter() {
        return recordInterval.multipliedBy(hungFactor);
    }

    /** supervisord-like defaults with logs under {@code logDir}. */
    public static Builder builder(Path logDir) {
        return new Builder(logDir);
    }

    public static final class Builder {
        private final Path logDir;
        private Duration startSeconds = Duration.ofSeconds(1);
        private int startRetries = 3;
        private Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));
        private Duration stopGrace = DEFAULT_STOP_GRACE;
        private Duration recordInterval = DEFAULT_RECORD_INTERVAL;
        private int hungFactor = DEFAULT_HUNG_FACTOR;
        private Duration startGrace = Duration.ofSeconds(60);
        private long logMaxBytes = 50L << 20;
        private int logBackups = 5;
        private Duration logCheckInterval = Duration.ofSeconds(10);
        private int logTailMaxBytes = 64 << 10;
        private boolean autoStart = true;

        private Builder(Path logDir) {
            this.logDir = logDir;
        }

        public Builder startSeconds(Duration value) {
            startSeconds = value;
            return this;
        }

        public Builder startRetries(int value) {
            startRetries = value;
            return this;
        }

        public Builder backoff(Duration initial, Duration cap) {
            backoff = new Backoff(initial, cap);
            return this;
        }

        public Builder stopGrace(Duration value) {
            stopGrace = value;
            return this;
        }

        public Builder recordInterval(Duration value) {
            recordInterval = value;
            return this;
        }

        public Builder hungFactor(int value) {
            hungFactor = value;
            return this;
        }

        public Builder startGrace(Duration value) {
            startGrace = value;
            return this;
        }

        public Builder logRotation(long maxBytes, int backups, Duration checkInterval) {
            logMaxBytes = maxBytes;
            logBackups = backups;
            logCheckInterval = checkInterval;
            return this;
        }

        public Builder logTailMaxBytes(int value) {
            logTailMaxBytes = value;
            return this;
        }

        public Builder autoStart(boolean value) {
            autoStart = value;
            return this;
        }

        public SupervisorConfig build() {
            return new SupervisorConfig(logDir, startSeconds, startRetries, backoff, stopGrace, recordInterval,
                    hungFactor, startGrace, logMaxBytes, logBackups, logCheckInterval, logTailMaxBytes, autoStart);
        }
    }
}
