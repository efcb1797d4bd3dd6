package io.switchboard.daemon.link;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.machine.MachineControl;
import io.switchboard.daemon.machine.ProcessStatus;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A machine whose start and kill answer at once and whose stop never ends (a process that will not die). */
final class FakeMachine implements MachineControl {
    final List<String> calls = new CopyOnWriteArrayList<>();
    private final String ip;

    FakeMachine(String ip) {
        this.ip = ip;
    }

    @Override
    public List<ProcessStatus> status() {
        return List.of();
    }

    @Override
    public CompletableFuture<CommandResult> start(String nameOrAll) {
        calls.add("start " + nameOrAll);
        return CompletableFuture.completedFuture(CommandResult.ok(JsonNodeFactory.instance.objectNode()
                .put("machine", ip).put("started", nameOrAll)));
    }

    @Override
    public CompletableFuture<CommandResult> stop(String nameOrAll) {
        calls.add("stop " + nameOrAll);
        return new CompletableFuture<>();
    }

    @Override
    public CompletableFuture<CommandResult> kill(long pid) {
        calls.add("kill " + pid);
        return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.FAILED,
                "pid " + pid + " is not a process of " + ip));
    }

    @Override
    public List<String> logTail(String name, int maxLines) {
        return List.of();
    }
}
