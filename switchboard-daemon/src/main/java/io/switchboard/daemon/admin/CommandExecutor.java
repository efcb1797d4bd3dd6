package io.switchboard.daemon.admin;

import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.daemon.machine.ProcessStatus;
import io.switchboard.daemon.relay.CommandRelay;
import io.switchboard.globaldb.GlobalDb;
import io.switchboard.globaldb.GlobalDbException;
import io.switchboard.globaldb.ProcessKey;
import io.switchboard.globaldb.ProcessRecord;
import io.switchboard.globaldb.World;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs admin commands on a daemon for a logged-in caller. The caller's role is checked first: a command it does not
 * allow is {@link CommandResult.Outcome#FORBIDDEN} and an audit line (as are the commands that change something).
 * Lists are read from globaldb (and this machine's supervisor for its own processes), with liveness judged on the
 * injected clock; start, stop and kill run on this machine's supervisor when they name this daemon's IP, travel
 * through the router for another machine of the world, and fail for an IP the world does not have. Reads of globaldb
 * block: call {@link #execute} off any event loop.
 */
public final class CommandExecutor {
    /** The audit trail: who was refused what, and who changed what. */
    static final Logger AUDIT = LoggerFactory.getLogger("io.switchboard.daemon.admin.audit");
    /** How long a list waits for the router's list of connected machines before calling the others unreachable. */
    private static final Duration CONNECTED_WAIT = Duration.ofSeconds(2);

    private final String localIp;
    private final GlobalDb globalDb;
    private final MachineControl machine;
    private final LocalCommands localCommands;
    private final CommandRelay relay;
    private final Clock clock;
    private final Liveness.Rule rule;

    public CommandExecutor(String localIp, GlobalDb globalDb, MachineControl machine, CommandRelay relay, Clock clock,
                           Liveness.Rule rule) {
        this.localIp = localIp;
        this.globalDb = globalDb;
        this.machine = machine;
        this.localCommands = new LocalCommands(machine);
        this.relay = relay;
        this.clock = clock;
        this.rule = rule;
    }

    public String localIp() {
        return localIp;
    }

    /** Runs {@code command} for {@code caller}; never completes exceptionally (a failure is a failed result). */
    public CompletableFuture<CommandResult> execute(Caller caller, AdminCommand command) {
        if (!caller.role().allows(command.permission())) {
            AUDIT.warn("refused: user={} role={} command='{}'", caller.user(), caller.role().wireName(), command);
            return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FORBIDDEN,
                    "user " + caller.user() + " (role " + caller.role().wireName() + ") may not '" + command
                            + "': it needs the " + command.permission().name().toLowerCase(Locale.ROOT)
                            + " permission"));
        }
        try {
            return switch (command.verb()) {
                case LIST_WORLD, WATCH -> CompletableFuture.completedFuture(CommandResult.ok(snapshot().world()));
                case LIST_MACHINE -> CompletableFuture.completedFuture(CommandResult.ok(snapshot().machines()));
                case LIST_IP -> CompletableFuture.completedFuture(snapshot().machine(command.ip())
                        .map(CommandResult::ok)
                        .orElseGet(() -> notInWorld(command.ip())));
                case LIST_PID -> CompletableFuture.completedFuture(listPid(command.pid()));
                case START, STOP, KILL -> act(caller, command);
            };
        } catch (GlobalDbException e) {
            return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FAILED,
                    e.getMessage()));
        }
    }

    /** The {@code list world} view now, as {@code watch} refreshes it. */
    public CommandResult worldView() {
        try {
            return CommandResult.ok(snapshot().world());
        } catch (GlobalDbException e) {
            return CommandResult.failed(CommandResult.Outcome.FAILED, e.getMessage());
        }
    }

    private CommandResult listPid(long pid) {
        var view = snapshot().pid(pid);
        return view.get("processes").isEmpty()
                ? new CommandResult(CommandResult.Outcome.FAILED, "no process of the world has pid " + pid, view)
                : CommandResult.ok(view);
    }

    private CompletableFuture<CommandResult> act(Caller caller, AdminCommand command) {
        AUDIT.info("command: user={} role={} command='{}'", caller.user(), caller.role().wireName(), command);
        CompletableFuture<CommandResult> result;
        try {
            if (command.ip().equals(localIp)) {
                result = localCommands.execute(command);
            } else if (globalDb.world().machine(command.ip()).isPresent()) {
                result = relay.send(command.ip(), caller.user(), command);
            } else {
                return CompletableFuture.completedFuture(notInWorld(command.ip()));
            }
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.exceptionally(e -> CommandResult.failed(CommandResult.Outcome.FAILED,
                "'" + command + "' failed: " + (e.getCause() != null ? e.getCause() : e).getMessage()));
    }

    private static CommandResult notInWorld(String ip) {
        return CommandResult.failed(CommandResult.Outcome.FAILED, ip + " is not a machine of the world");
    }

    private WorldSnapshot snapshot() {
        World world = globalDb.world();
        Map<ProcessKey, ProcessRecord> records = globalDb.records().stream()
                .collect(Collectors.toMap(ProcessRecord::key, Function.identity(), (a, b) -> b, LinkedHashMap::new));
        Map<String, ProcessStatus> local = new LinkedHashMap<>();
        if (world.machine(localIp).isPresent()) {
            machine.status().forEach(status -> local.put(status.name(), status));
        }
        return new WorldSnapshot(world, records, local, localIp, connected(), rule, clock.millis());
    }

    private Set<String> connected() {
        try {
            return relay.connectedMachines().get(CONNECTED_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Set.of();
        } catch (ExecutionException | TimeoutException e) {
            // The router is away: every other machine shows as unreachable, which is what it is from here.
            return Set.of();
        }
    }
}
