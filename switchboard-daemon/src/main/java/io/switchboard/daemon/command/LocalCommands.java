package io.switchboard.daemon.command;

import io.switchboard.daemon.machine.MachineControl;

import java.util.concurrent.CompletableFuture;

/** Runs a command that targets this machine on its {@link MachineControl}: how a daemon serves start, stop and kill. */
public final class LocalCommands {
    private final MachineControl machine;

    public LocalCommands(MachineControl machine) {
        this.machine = machine;
    }

    public CompletableFuture<CommandResult> execute(AdminCommand command) {
        return switch (command.verb()) {
            case START -> machine.start(command.name());
            case STOP -> machine.stop(command.name());
            case KILL -> machine.kill(command.pid());
            default -> CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.BAD_COMMAND,
                    "'" + command + "' does not act on one machine"));
        };
    }
}
