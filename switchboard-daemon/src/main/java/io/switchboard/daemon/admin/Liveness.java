package io.switchboard.daemon.admin;

import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.ProcessRecordPart;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a process lives, judged from its globaldb record as plane-common's contract says: {@link #ALIVE} while its
 * {@code lastupdate} is at most k × the record interval old, {@link #HUNG} once it is older, {@link #STOPPED} with no
 * record, no first write yet, or a daemon state that says nothing runs.
 */
public enum Liveness {
    ALIVE, HUNG, STOPPED;

    private static final Set<String> NOT_RUNNING = Set.of(ProcessState.STOPPED.name(), ProcessState.EXITED.name(),
            ProcessState.FATAL.name());

    /** The rule: a record older than {@code k × interval} is hung. */
    public record Rule(Duration interval, int k) {
        public static final Duration DEFAULT_INTERVAL = ProcessRecordPart.DEFAULT_INTERVAL;
        public static final int DEFAULT_K = ProcessRecordPart.DEFAULT_HUNG_AFTER_INTERVALS;

        public Rule {
            if (interval.isNegative() || interval.isZero() || k < 1) {
                throw new IllegalArgumentException("liveness needs a positive interval and k: " + interval + ", " + k);
            }
        }

        public static Rule defaults() {
            return new Rule(DEFAULT_INTERVAL, DEFAULT_K);
        }

        public long staleAfterMillis() {
            return interval.toMillis() * k;
        }

        /** The liveness of a process with this record (if any) and daemon state at {@code nowMillis}. */
        public Liveness judge(Optional<ProcessRecord> record, String state, long nowMillis) {
            if (record.isEmpty() || record.get().lastUpdate() == 0 || NOT_RUNNING.contains(state)) {
                return STOPPED;
            }
            return record.get().isStale(nowMillis, staleAfterMillis()) ? HUNG : ALIVE;
        }
    }

    /** The name as shown and sent: {@code alive}, {@code hung}, {@code stopped}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
