package io.switchboard.cli;

import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecordPart;
import io.switchboard.globaldb.redis.RedisGlobalDb;
import io.switchboard.runtime.ProcessPart;
import io.switchboard.runtime.ProcessRuntime;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code --globaldb URL --process-key region.ip.name}: the process writes its liveness record to globaldb,
 * which is how its daemon knows it alive. A daemon starts its processes with {@value #GLOBALDB_ENV},
 * {@value #KEY_ENV} and {@value #INTERVAL_ENV} set instead; options win over the environment. With neither, or with
 * only the globaldb URL in the environment (an operator's shell may export it for {@code switchboard globaldb}),
 * nothing is written.
 */
final class ProcessRecordOptions {
    static final String GLOBALDB_ENV = ProcessRecordPart.GLOBALDB_ENV;
    static final String KEY_ENV = ProcessRecordPart.PROCESS_KEY_ENV;
    static final String INTERVAL_ENV = ProcessRecordPart.RECORD_INTERVAL_ENV;
    static final long MIN_INTERVAL_MS = 10;
    static final long MAX_INTERVAL_MS = Duration.ofMinutes(10).toMillis();

    @Option(names = "--globaldb", paramLabel = "URL", description = "globaldb, redis://[user:password@]host:port or "
            + "rediss://...: with --process-key, this process writes its liveness record there (default from "
            + GLOBALDB_ENV + ").")
    String globaldb;

    @Option(names = "--process-key", paramLabel = "REGION.IP.NAME", description = "This process's key in globaldb "
            + "(default from " + KEY_ENV + ").")
    String processKey;

    @Option(names = "--record-interval-ms", paramLabel = "MS", description = "Milliseconds between record writes "
            + "(default from " + INTERVAL_ENV + ", else 1000); a daemon reports the process hung after 5 of them.")
    Long intervalMs;

    /** The environment read for the defaults; tests replace it. */
    Map<String, String> env = System.getenv();

    private ProcessRecordPart part;

    /**
     * The record part for the process's runtime, or nothing when this process keeps no record; {@code kind} is its
     * world-file type ({@code gate}, {@code service:demo}, ...). Call it before opening anything: a bad option is a
     * usage error.
     */
    List<ProcessPart> parts(CommandSpec spec, String kind) {
        ProcessRecordPart made = part(spec, kind);
        return made == null ? List.of() : List.of(made);
    }

    /** The part made last, or null. */
    ProcessRecordPart recordPart() {
        return part;
    }

    /**
     * The record part, not started, or null when this process keeps no record: for a process without a
     * {@link ProcessRuntime}, which starts and closes it itself.
     */
    ProcessRecordPart part(CommandSpec spec, String kind) {
        String url = globaldb != null ? globaldb : env.get(GLOBALDB_ENV);
        String keyText = processKey != null ? processKey : env.get(KEY_ENV);
        if (keyText == null) {
            if (globaldb != null || intervalMs != null) {
                throw new ParameterException(spec.commandLine(), "--globaldb and --record-interval-ms need "
                        + "--process-key (or " + KEY_ENV + ")");
            }
            return null;
        }
        if (url == null) {
            throw new ParameterException(spec.commandLine(), "--process-key needs --globaldb (or " + GLOBALDB_ENV
                    + ")");
        }
        ProcessKey key;
        try {
            key = ProcessKey.parse(keyText);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Duration interval = Duration.ofMillis(interval(spec));
        RedisGlobalDb db;
        try {
            db = RedisGlobalDb.connect(url);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        part = ProcessRecordPart.builder(db, key).ownsDb(true).interval(interval).kind(kind).version(Main.VERSION)
                .build();
        return part;
    }

    private long interval(CommandSpec spec) {
        if (intervalMs != null) {
            return checked(spec, intervalMs, "--record-interval-ms");
        }
        String text = env.get(INTERVAL_ENV);
        if (text == null || text.isBlank()) {
            return ProcessRecordPart.DEFAULT_INTERVAL.toMillis();
        }
        try {
            return checked(spec, Long.parseLong(text.trim()), INTERVAL_ENV);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), INTERVAL_ENV + " is not a number of milliseconds: "
                    + text);
        }
    }

    private static long checked(CommandSpec spec, long ms, String what) {
        if (ms < MIN_INTERVAL_MS || ms > MAX_INTERVAL_MS) {
            throw new ParameterException(spec.commandLine(), what + " " + ms + " is out of range " + MIN_INTERVAL_MS
                    + "-" + MAX_INTERVAL_MS);
        }
        return ms;
    }
}
