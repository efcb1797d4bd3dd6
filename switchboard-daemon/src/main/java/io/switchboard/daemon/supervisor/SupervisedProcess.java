package io.switchboard.daemon.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.micrometer.core.instrument.Counter;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.ProcessSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One process of the machine and its supervisord state machine. Every method but {@link #status()} runs on the
 * supervisor's event thread; a generation number, one more at each start or adoption, makes the exit and timers of
 * an earlier incarnation harmless. At most one timer is pending (the start check, the backoff or the SIGKILL), and
 * at most one operator start and one stop are awaited: concurrent commands share them.
 */
final class SupervisedProcess {
    private static final Logger log = LoggerFactory.getLogger(SupervisedProcess.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ProcessSpec spec;
    private final ProcessKey key;
    private final SupervisorContext ctx;
    private final Counter restartCounter;
    private final Counter hungCounter;
    private final Counter fatalCounter;

    private ProcessState state = ProcessState.STOPPED;
    private ProcessHandle handle;
    private long startedAt;
    private long startCount;
    /**
     * globaldb's startcount before this start: a higher one means the role has written since. {@code -1} when
     * globaldb could not say: then a {@code lastupdate} not before the start does (the role shares this machine's
     * clock).
     */
    private long recordBaseline;
    private int failures;
    private int restarts;
    private String detail = "";
    /** Why the running process is being made to exit (an operator's kill, hung), for its exit's detail. */
    private String exitReason;
    /** A hung process is stopped to be started again, unless an operator stops it meanwhile. */
    private boolean restartAfterStop;
    private int generation;
    private Scheduler.Cancellable timer;
    private CompletableFuture<CommandResult> starting;
    private CompletableFuture<CommandResult> stopping;
    private volatile ProcessStatus status;
    /**
     * When a globaldb call of {@link #tick} last failed, {@link #NEVER} if none has. The role could not write its
     * record while globaldb was down either, so it is judged only once globaldb has answered for a whole hung window
     * since then: its pre-outage lastupdate says nothing about it.
     */
    private long dbFailedAt = NEVER;
    private static final long NEVER = Long.MIN_VALUE;
    /** Set while globaldb could not be read at the daemon's start: {@link #open} is tried again each tick. */
    private OpenPending openPending;

    private enum OpenPending { START, ADOPT_ONLY }

    SupervisedProcess(ProcessSpec spec, ProcessKey key, SupervisorContext ctx) {
        this.spec = spec;
        this.key = key;
        this.ctx = ctx;
        String process = spec.name();
        this.restartCounter = Counter.builder("switchboard.daemon.process.restarts")
                .description("Restarts of a supervised process after it exited, was killed or hung")
                .tag("process", process).register(ctx.meters());
        this.hungCounter = Counter.builder("switchboard.daemon.process.hung")
                .description("Times a supervised process's globaldb record went stale").tag("process", process)
                .register(ctx.meters());
        this.fatalCounter = Counter.builder("switchboard.daemon.process.fatal")
                .description("Times a supervised process was given up after exiting early too often")
                .tag("process", process).register(ctx.meters());
        publish();
    }

    String name() {
        return spec.name();
    }

    /** The last published view; safe from any thread. */
    ProcessStatus status() {
        return status;
    }

    long pid() {
        return handle == null ? 0 : handle.pid();
    }

    /**
     * At the daemon's start: adopts the process globaldb names if it is alive and truly this one; otherwise starts
     * it ({@code autoStart}) unless its record says an operator left it stopped or it was FATAL.
     */
    void open(boolean autoStart) {
        Optional<ProcessRecord> record;
        try {
            record = ctx.db().record(key);
        } catch (GlobalDbException e) {
            // Its process may still run from before: starting one now could make a duplicate. Try again next tick.
            log.warn("{}: globaldb unreadable at the daemon's start ({}); neither adopted nor started yet", key,
                    e.getMessage());
            openPending = autoStart ? OpenPending.START : OpenPending.ADOPT_ONLY;
            detail = "waiting for globaldb to tell whether it still runs";
            publish();
            return;
        }
        openPending = null;
        startCount = record.map(ProcessRecord::startCount).orElse(0L);
        if (record.isPresent() && record.get().pid() > 0) {
            long pid = record.get().pid();
            Optional<ProcessHandle> live = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (live.isPresent()) {
                Optional<String> mismatch = mismatch(live.get());
                if (mismatch.isEmpty()) {
                    adopt(live.get(), record.get());
                    return;
                }
                log.warn("{}: pid {} in globaldb is alive but not this process ({}); not adopted", key, pid,
                        mismatch.get());
            }
        }
        String last = record.map(ProcessRecord::state).orElse("");
        if (last.equals(ProcessState.STOPPED.name()) || last.equals(ProcessState.FATAL.name())) {
            state = ProcessState.valueOf(last);
            detail = "was " + last + " before the daemon started";
            publish();
        } else if (autoStart) {
            spawn();
        } else {
            publish();
        }
    }

    private Optional<String> mismatch(ProcessHandle live) {
        try {
            return ProcessIdentity.mismatch(live, key, ctx.plan().launch(key, spec));
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void adopt(ProcessHandle live, ProcessRecord record) {
        generation++;
        handle = live;
        startedAt = live.info().startInstant().map(Instant::toEpochMilli).orElse(ctx.clock().millis());
        recordBaseline = record.startCount() - 1; // it wrote before the daemon's restart: judge its lastupdate now
        failures = 0;
        detail = "adopted after the daemon's restart";
        log.info("{}: adopted pid {}, still running from before the daemon's restart", key, live.pid());
        setState(ProcessState.RUNNING);
        watch(live, null, generation);
    }

    /** An operator's start: a FATAL, stopped or backing-off process starts at once, its counts cleared. */
    CompletableFuture<CommandResult> start() {
        switch (state) {
            case RUNNING:
                return CompletableFuture.completedFuture(ok("already running"));
            case STARTING:
                return startingFuture();
            case STOPPING:
                return CompletableFuture.completedFuture(failed("is stopping; start it again once it has stopped"));
            default:
                openPending = null; // an operator's word settles it
                cancelTimer();
                failures = 0;
                restarts = 0;
                detail = "started by an operator";
                CompletableFuture<CommandResult> future = startingFuture();
                spawn();
                return future;
        }
    }

    /** An operator's stop: no restart follows. */
    CompletableFuture<CommandResult> stop() {
        switch (state) {
            case STARTING:
            case RUNNING:
                restartAfterStop = false;
                exitReason = "stopped by an operator";
                complete(starting, failed("stopped before it was running"));
                starting = null;
                terminate();
                return stoppingFuture();
            case STOPPING:
                restartAfterStop = false;
                exitReason = "stopped by an operator";
                return stoppingFuture();
            case BACKOFF:
                cancelTimer();
                detail = "stopped by an operator while waiting to restart";
                setState(ProcessState.STOPPED);
                return CompletableFuture.completedFuture(ok(""));
            default:
                return CompletableFuture.completedFuture(ok("not running"));
        }
    }

    /** SIGKILL if {@code pid} is this process; it then restarts as after a crash. */
    boolean killIfPid(long pid) {
        if (handle == null || handle.pid() != pid) {
            return false;
        }
        log.warn("{}: SIGKILL to pid {} by an operator", key, pid);
        exitReason = "killed by an operator";
        // Its children too: once it is gone they would be init's, and nobody would ever stop them.
        List<ProcessHandle> descendants = handle.descendants().toList();
        handle.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        return true;
    }

    /** Every record interval: writes a plain program's record; finds a role that stopped writing its own. */
    void tick() {
        if (openPending != null && handle == null && state == ProcessState.STOPPED) {
            open(openPending == OpenPending.START);
        }
        if (handle == null) {
            return;
        }
        long now = ctx.clock().millis();
        try {
            if (spec.isCommand()) {
                if (state == ProcessState.STARTING || state == ProcessState.RUNNING) {
                    ctx.db().recordAlive(key, handle.pid(),
                            JsonNodeFactory.instance.objectNode().put("state", state.name()), now);
                }
                return;
            }
            Optional<ProcessRecord> record = ctx.db().record(key);
            record.ifPresent(r -> startCount = r.startCount());
            publish();
            if (state == ProcessState.RUNNING && answeredForAHungWindow(now)) {
                hungReason(record, now).ifPresent(this::hung);
            }
        } catch (GlobalDbException e) {
            // Never judge a process by a globaldb that cannot answer, nor soon after (see dbFailedAt).
            dbFailedAt = now;
            log.warn("{}: globaldb unavailable for the record check: {}", key, e.getMessage());
        }
    }

    private boolean answeredForAHungWindow(long now) {
        return dbFailedAt == NEVER || now - dbFailedAt >= ctx.config().hungAfter().toMillis();
    }

    private Optional<String> hungReason(Optional<ProcessRecord> record, long now) {
        Duration hungAfter = ctx.config().hungAfter();
        boolean written = record.isPresent() && (recordBaseline >= 0 ? record.get().startCount() > recordBaseline
                : record.get().lastUpdate() >= startedAt);
        if (written) {
            long age = now - record.get().lastUpdate();
            return record.get().isStale(now, hungAfter.toMillis())
                    ? Optional.of("hung: lastupdate " + age + " ms old, more than " + ctx.config().hungFactor()
                    + " × " + ctx.config().recordInterval().toMillis() + " ms")
                    : Optional.empty();
        }
        long since = now - startedAt;
        return since > ctx.config().startGrace().toMillis()
                ? Optional.of("hung: no globaldb record written in " + since + " ms since its start")
                : Optional.empty();
    }

    private void hung(String reason) {
        log.warn("{}: pid {} {}; stopping it to restart it", key, handle.pid(), reason);
        hungCounter.increment();
        detail = reason;
        exitReason = reason;
        restartAfterStop = true;
        terminate();
    }

    /** Rotates this process's output file if it has grown too large. */
    void rotateLog() {
        try {
            if (ctx.logs().rotateIfLarge(spec.name())) {
                log.info("{}: output file rotated", key);
            }
        } catch (IOException | IllegalArgumentException e) {
            log.warn("{}: cannot rotate its output file: {}", key, e.toString());
        }
    }

    private void spawn() {
        int gen = ++generation;
        exitReason = null;
        restartAfterStop = false;
        Process started;
        try {
            LaunchPlan.Launch launch = ctx.plan().launch(key, spec);
            ProcessBuilder builder = new ProcessBuilder(launch.command()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(ctx.logs().file(spec.name()).toFile()));
            environment(builder.environment(), spec, key, launch);
            recordBaseline = spec.isCommand() ? 0 : baseline();
            started = builder.start();
        } catch (IOException | RuntimeException e) {
            log.warn("{}: cannot start: {}", key, e.toString());
            failed(true, "cannot start: " + e.getMessage());
            return;
        }
        try {
            started.getOutputStream().close(); // stdin at EOF: no pipe that the daemon must keep open
        } catch (IOException e) {
            log.debug("{}: closing stdin: {}", key, e.toString());
        }
        handle = started.toHandle();
        startedAt = ctx.clock().millis();
        log.info("{}: started pid {}", key, handle.pid());
        if (spec.isCommand()) {
            try {
                ctx.db().recordStart(key, handle.pid(), startedAt);
                startCount = ctx.db().record(key).map(ProcessRecord::startCount).orElse(startCount + 1);
            } catch (GlobalDbException e) {
                log.warn("{}: cannot write its start to globaldb: {}", key, e.getMessage());
            }
        }
        setState(ProcessState.STARTING);
        timer = ctx.timers().schedule(ctx.config().startSeconds(), () -> runningNow(gen));
        watch(handle, started, gen);
    }

    /** Turns the daemon's own environment ({@code env}) into the child's. */
    static void environment(Map<String, String> env, ProcessSpec spec, ProcessKey key, LaunchPlan.Launch launch) {
        env.keySet().removeAll(LaunchPlan.RECORD_ENV);
        if (spec.isCommand()) {
            env.keySet().removeAll(LaunchPlan.SECRET_ENV);
        }
        env.putAll(launch.env());
        env.put(ProcessIdentity.SUPERVISED_ENV, key.toString());
    }

    private long baseline() {
        try {
            return ctx.db().record(key).map(ProcessRecord::startCount).orElse(0L);
        } catch (GlobalDbException e) {
            log.warn("{}: globaldb unreadable before its start ({}); its first record is told by time", key,
                    e.getMessage());
            return -1;
        }
    }

    private void watch(ProcessHandle watched, Process process, int gen) {
        watched.onExit().whenComplete((h, error) -> ctx.events().execute(
                () -> exited(gen, process == null ? "exited" : "exit code " + process.exitValue())));
    }

    private void runningNow(int gen) {
        if (gen != generation || state != ProcessState.STARTING) {
            return;
        }
        timer = null;
        failures = 0;
        setState(ProcessState.RUNNING);
        complete(starting, ok(""));
        starting = null;
    }

    private void exited(int gen, String how) {
        if (gen != generation || handle == null) {
            return;
        }
        cancelTimer();
        long pid = handle.pid();
        handle = null;
        String reason = exitReason == null ? how : exitReason + " (" + how + ")";
        exitReason = null;
        if (state == ProcessState.STOPPING && !restartAfterStop) {
            log.info("{}: pid {} stopped ({})", key, pid, how);
            detail = reason;
            setState(ProcessState.STOPPED);
            complete(stopping, ok(""));
            stopping = null;
            return;
        }
        log.warn("{}: pid {} exited: {}", key, pid, reason);
        boolean early = state == ProcessState.STARTING;
        restartAfterStop = false;
        failed(early, reason);
    }

    /** The process is gone, not by an operator's stop: restart after the backoff, or give up on a crash loop. */
    private void failed(boolean early, String reason) {
        failures = early ? failures + 1 : 1;
        complete(starting, failed(reason));
        starting = null;
        int retries = ctx.config().startRetries();
        if (early && failures >= retries) {
            detail = "FATAL: exited within " + ctx.config().startSeconds().toMillis() + " ms of its start "
                    + failures + " times in a row; last: " + reason;
            log.error("{}: {}; no more restarts until an operator starts it", key, detail);
            fatalCounter.increment();
            setState(ProcessState.FATAL);
            return;
        }
        Duration delay = ctx.config().backoff().delay(failures);
        detail = reason + "; restart " + failures + " in a row in " + delay.toMillis() + " ms";
        int gen = generation;
        setState(ProcessState.BACKOFF);
        timer = ctx.timers().schedule(delay, () -> restart(gen));
    }

    private void restart(int gen) {
        if (gen != generation || state != ProcessState.BACKOFF) {
            return;
        }
        timer = null;
        restarts++;
        restartCounter.increment();
        spawn();
    }

    /** SIGTERM now (the process and what it started), SIGKILL to those still alive after the grace period. */
    private void terminate() {
        cancelTimer();
        ProcessHandle target = handle;
        int gen = generation;
        setState(ProcessState.STOPPING);
        // Taken before the signal: a wrapper that dies of it leaves its children to init, out of descendants().
        List<ProcessHandle> descendants = target.descendants().toList();
        target.destroy();
        descendants.forEach(ProcessHandle::destroy);
        if (!descendants.isEmpty()) {
            // Not the process's timer: its exit cancels that one, and children that ignore SIGTERM must still go.
            ctx.timers().schedule(ctx.config().stopGrace(), () -> descendants.stream().filter(ProcessHandle::isAlive)
                    .forEach(ProcessHandle::destroyForcibly));
        }
        timer = ctx.timers().schedule(ctx.config().stopGrace(), () -> {
            if (gen == generation && state == ProcessState.STOPPING && handle != null) {
                log.warn("{}: pid {} still alive {} ms after SIGTERM; SIGKILL", key, target.pid(),
                        ctx.config().stopGrace().toMillis());
                target.descendants().forEach(ProcessHandle::destroyForcibly);
                target.destroyForcibly();
            }
        });
    }

    private void setState(ProcessState next) {
        state = next;
        try {
            ctx.db().recordState(key, next.name());
        } catch (GlobalDbException e) {
            log.warn("{}: cannot write state {} to globaldb: {}", key, next, e.getMessage());
        }
        publish();
    }

    private void publish() {
        status = new ProcessStatus(spec.name(), spec.type(), state, pid(), handle == null ? 0 : startedAt, startCount,
                restarts, detail);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    private CompletableFuture<CommandResult> startingFuture() {
        if (starting == null) {
            starting = new CompletableFuture<>();
        }
        return starting;
    }

    private CompletableFuture<CommandResult> stoppingFuture() {
        if (stopping == null) {
            stopping = new CompletableFuture<>();
        }
        return stopping;
    }

    private static void complete(CompletableFuture<CommandResult> future, CommandResult result) {
        if (future != null) {
            future.complete(result);
        }
    }

    private CommandResult ok(String message) {
        return new CommandResult(CommandResult.Outcome.OK, message.isEmpty() ? "" : spec.name() + ": " + message,
                JSON.valueToTree(status));
    }

    private CommandResult failed(String message) {
        return new CommandResult(CommandResult.Outcome.FAILED, spec.name() + ": " + message,
                JSON.valueToTree(status));
    }
}
