package io.switchboard.daemon.supervisor;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.switchboard.common.text.LogText;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.ProcessSpec;
import io.switchboard.globaldb.World;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The supervisor of one machine's processes (supervisord's model, see the package). All state changes happen on
 * one thread of its own; commands, exits and timers are handed to it. {@link #close()} leaves the children running:
 * the next daemon adopts them.
 *
 * <p>Bounded by the world: each process has at most one pending timer (start check, backoff or SIGKILL), one
 * restart in flight and one awaited start and stop that concurrent commands share; two more timers check records
 * and log sizes; a log tail reads at most {@link SupervisorConfig#logTailMaxBytes()}.
 */
public final class Supervisor implements MachineControl, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(60);
    private final World.Machine machine;
    private final SupervisorConfig config;
    private final Scheduler scheduler;
    private final ExecutorService events;
    private final LogFiles logs;
    private final Map<String, SupervisedProcess> processes = new LinkedHashMap<>();
    private final List<Scheduler.Cancellable> periodic = new ArrayList<>();
    private final MeterRegistry meters;
    private final List<Gauge> gauges = new ArrayList<>();
    private volatile boolean closed;
    private boolean started;

    public Supervisor(World.Machine machine, GlobalDb db, LaunchPlan plan, SupervisorConfig config,
                      Scheduler scheduler, Clock clock, MeterRegistry meters) {
        this.machine = machine;
        this.config = config;
        this.scheduler = scheduler;
        this.meters = meters;
        this.events = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "switchboard-supervisor-" + machine.ip());
            thread.setDaemon(true);
            return thread;
        });
        this.logs = new LogFiles(config.logDir(), config.logMaxBytes(), config.logBackups(),
                config.logTailMaxBytes());
        Scheduler onEvents = (delay, task) -> scheduler.schedule(delay, () -> execute(task));
        SupervisorContext ctx = new SupervisorContext(db, plan, config, clock, logs, meters, onEvents, this::execute);
        for (ProcessSpec spec : machine.processes()) {
            processes.put(spec.name(), new SupervisedProcess(spec, machine.key(spec), ctx));
        }
        for (ProcessState state : ProcessState.values()) {
            gauges.add(Gauge.builder("switchboard.daemon.processes", this, s -> s.count(state))
                    .description("Supervised processes of this machine by state").tag("state", state.name())
                    .register(meters));
        }
    }

    /**
     * Adopts the processes still running from an earlier daemon and starts the others (unless left stopped or FATAL,
     * or {@link SupervisorConfig#autoStart()} is off), then checks records and log sizes on their timers.
     */
    public synchronized Supervisor start() {
        if (started || closed) {
            throw new IllegalStateException("a supervisor starts once");
        }
        started = true;
        try {
            events.submit(() -> processes.values().forEach(p -> p.open(config.autoStart())))
                    .get(OPEN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening the supervisor", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot open the supervisor of " + machine.ip(), e);
        }
        every(config.recordInterval(), () -> processes.values().forEach(SupervisedProcess::tick));
        every(config.logCheckInterval(), () -> processes.values().forEach(SupervisedProcess::rotateLog));
        log.info("supervisor of {} ({}) started with {} processes", machine.ip(), machine.region(), processes.size());
        return this;
    }

    /** The machine this supervisor runs. */
    public World.Machine machine() {
        return machine;
    }

    @Override
    public List<ProcessStatus> status() {
        return processes.values().stream().map(SupervisedProcess::status).toList();
    }

    @Override
    public CompletableFuture<CommandResult> start(String nameOrAll) {
        return command(nameOrAll, SupervisedProcess::start);
    }

    @Override
    public CompletableFuture<CommandResult> stop(String nameOrAll) {
        return command(nameOrAll, SupervisedProcess::stop);
    }

    @Override
    public CompletableFuture<CommandResult> kill(long pid) {
        return onEvents(() -> {
            for (SupervisedProcess process : processes.values()) {
                if (process.killIfPid(pid)) {
                    return CompletableFuture.completedFuture(new CommandResult(CommandResult.Outcome.OK,
                            process.name() + ": SIGKILL sent to pid " + pid, JSON.valueToTree(process.status())));
                }
            }
            return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FAILED,
                    "pid " + pid + " is not a running process this daemon supervises on " + machine.ip()));
        });
    }

    @Override
    public List<String> logTail(String name, int maxLines) {
        if (!processes.containsKey(name)) {
            return List.of();
        }
        try {
            return logs.tail(name, maxLines);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot read the output of {}: {}", LogText.printable(name), e.toString());
            return List.of();
        }
    }

    /** Stops the timers and the supervisor's thread; the children keep running for the next daemon to adopt. */
    @Override
    public void close() {
        closed = true;
        gauges.forEach(meters::remove);
        synchronized (periodic) {
            periodic.forEach(Scheduler.Cancellable::cancel);
            periodic.clear();
        }
        events.shutdown();
        try {
            if (!events.awaitTermination(10, TimeUnit.SECONDS)) {
                events.shutdownNow();
            }
        } catch (InterruptedException e) {
            events.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private CompletableFuture<CommandResult> command(
            String nameOrAll, Function<SupervisedProcess, CompletableFuture<CommandResult>> action) {
        return onEvents(() -> {
            if (!AdminCommand.ALL.equals(nameOrAll)) {
                SupervisedProcess process = processes.get(nameOrAll);
                return process != null ? action.apply(process)
                        : CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FAILED,
                        "no process '" + nameOrAll + "' on " + machine.ip()));
            }
            List<CompletableFuture<CommandResult>> each = processes.values().stream().map(action).toList();
            return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(done -> combined(each));
        });
    }

    /** The results of {@code all}: OK only if each is; the failures' messages; every process's data. */
    private static CommandResult combined(List<CompletableFuture<CommandResult>> each) {
        ArrayNode data = JSON.createArrayNode();
        List<String> failures = new ArrayList<>();
        List<String> messages = new ArrayList<>();
        for (CompletableFuture<CommandResult> future : each) {
            CommandResult result = future.join();
            data.add(result.data());
            if (!result.isOk()) {
                failures.add(result.message());
            } else if (!result.message().isEmpty()) {
                messages.add(result.message());
            }
        }
        return failures.isEmpty() ? new CommandResult(CommandResult.Outcome.OK, String.join("; ", messages), data)
                : new CommandResult(CommandResult.Outcome.FAILED, String.join("; ", failures), data);
    }

    /** Runs {@code command} on the event thread; its result reaches the caller off that thread. */
    private CompletableFuture<CommandResult> onEvents(Supplier<CompletableFuture<CommandResult>> command) {
        try {
            return CompletableFuture.supplyAsync(command, events).thenCompose(Function.identity())
                    .thenApplyAsync(Function.identity());
        } catch (RejectedExecutionException e) {
            return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FAILED,
                    "the supervisor of " + machine.ip() + " is closed"));
        }
    }

    private void execute(Runnable task) {
        if (closed) {
            return;
        }
        try {
            // A task queued before close() is dropped: the next daemon starts again from globaldb.
            events.execute(() -> {
                if (!closed) {
                    task.run();
                }
            });
        } catch (RejectedExecutionException e) {
            // closed meanwhile
        }
    }

    /** {@code action} on the event thread every {@code period}; the next run is set before this one is handed over. */
    private void every(Duration period, Runnable action) {
        synchronized (periodic) {
            periodic.add(new Periodic(period, action).schedule());
        }
    }

    private final class Periodic implements Runnable {
        private final Duration period;
        private final Runnable action;
        private volatile Scheduler.Cancellable next;
        /**
         * A run is handed over and has not begun. Further ones are skipped meanwhile: a slow globaldb would otherwise
         * pile runs up on the one thread, ahead of operators' commands. The queued run reads the clock when it begins,
         * so the skipped ones lose nothing.
         */
        private final AtomicBoolean queued = new AtomicBoolean();

        Periodic(Duration period, Runnable action) {
            this.period = period;
            this.action = action;
        }

        Scheduler.Cancellable schedule() {
            next = scheduler.schedule(period, this);
            return () -> next.cancel();
        }

        @Override
        public void run() {
            if (!closed) {
                next = scheduler.schedule(period, this);
                if (queued.compareAndSet(false, true)) {
                    execute(() -> {
                        queued.set(false);
                        action.run();
                    });
                }
            }
        }
    }

    private int count(ProcessState state) {
        return (int) processes.values().stream().filter(p -> p.status().state() == state).count();
    }
}
