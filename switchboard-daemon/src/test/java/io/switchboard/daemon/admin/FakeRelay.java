package io.switchboard.daemon.admin;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.relay.CommandRelay;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/** A router link that records what it relayed; the machines in {@link #connected} answer, the others are away. Shared with the CLI's tests. */
public final class FakeRelay implements CommandRelay {
    public final List<String> sent = new CopyOnWriteArrayList<>();
    public volatile Set<String> connected = Set.of();

    @Override
    public CompletableFuture<CommandResult> send(String ip, String user, AdminCommand command) {
        sent.add(user + "@" + ip + ": " + command);
        if (!connected.contains(ip)) {
            return CompletableFuture.completedFuture(CommandResult.failed(CommandResult.Outcome.UNREACHABLE,
                    ip + "'s daemon is not connected to the router"));
        }
        return CompletableFuture.completedFuture(CommandResult.ok(JsonNodeFactory.instance.objectNode()
                .put("relayed", command.toString())));
    }

    @Override
    public CompletableFuture<Set<String>> connectedMachines() {
        return CompletableFuture.completedFuture(connected);
    }
}
