package io.switchboard.daemon.relay;

import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a command that targets another machine to that machine's daemon through the router. The sender has already
 * checked the operator's role; {@code user} travels along for the target's log. A machine whose daemon is not
 * connected, or a router that is away, completes with {@link CommandResult.Outcome#UNREACHABLE}, never hangs: every
 * send has a deadline.
 */
public interface CommandRelay {

    CompletableFuture<CommandResult> send(String ip, String user, AdminCommand command);

    /** The machines (inner IPs) whose daemons the router has now; a machine not in it is shown as unreachable. */
    CompletableFuture<Set<String>> connectedMachines();
}
