package io.switchboard.daemon.machine;

import io.switchboard.daemon.command.CommandResult;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The processes of this machine, as the daemon runs them. Start and stop complete when the process is running or
 * stopped (a stop may take the grace period); a name the machine does not run is a failed result, not an exception.
 */
public interface MachineControl {

    /** Every configured process of this machine, in the world's order. */
    List<ProcessStatus> status();

    /** Starts one process, or every process for {@code all}; a FATAL process starts again. */
    CompletableFuture<CommandResult> start(String nameOrAll);

    /** Stops one process, or every process for {@code all}: SIGTERM, then SIGKILL after the grace period. */
    CompletableFuture<CommandResult> stop(String nameOrAll);

    /** Sends SIGKILL to a pid that is one of this machine's supervised processes (only those). */
    CompletableFuture<CommandResult> kill(long pid);

    /** The last lines (at most {@code maxLines}) of a process's captured output; empty for an unknown name. */
    List<String> logTail(String name, int maxLines);
}
