package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.daemon.machine.ProcessState;
import io.switchboard.daemon.machine.ProcessStatus;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A machine that records what it was told and whose statuses a test sets; shared with the CLI's tests. */
public class FakeMachine implements MachineControl {
    public final List<String> calls = new CopyOnWriteArrayList<>();
    public final Map<String, ProcessStatus> statuses = new ConcurrentHashMap<>();
    public final Map<String, List<String>> logs = new ConcurrentHashMap<>();

    public void set(String name, String type, ProcessState state, long pid, long startedAt) {
        statuses.put(name, new ProcessStatus(name, type, state, pid, startedAt, 1, 0, ""));
    }

    @Override
    public List<ProcessStatus> status() {
        return List.copyOf(statuses.values());
    }

    @Override
    public CompletableFuture<CommandResult> start(String nameOrAll) {
        return done("start " + nameOrAll);
    }

    @Override
    public CompletableFuture<CommandResult> stop(String nameOrAll) {
        return done("stop " + nameOrAll);
    }

    @Override
    public CompletableFuture<CommandResult> kill(long pid) {
        return done("kill " + pid);
    }

    @Override
    public List<String> logTail(String name, int maxLines) {
        List<String> lines = logs.getOrDefault(name, List.of());
        return lines.subList(Math.max(0, lines.size() - maxLines), lines.size());
    }

    private CompletableFuture<CommandResult> done(String call) {
        calls.add(call);
        return CompletableFuture.completedFuture(CommandResult.ok(JsonNodeFactory.instance.objectNode()
                .put("done", call)));
    }
}
