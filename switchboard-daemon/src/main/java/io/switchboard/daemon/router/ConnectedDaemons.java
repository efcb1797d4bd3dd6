package io.switchboard.daemon.router;

import io.netty.channel.Channel;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandResult.Outcome;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The daemons connected to the router, one per machine IP, and the commands relayed between them that wait for an
 * answer. Every relay ends with exactly one answer to its sender: the target's, or UNREACHABLE when the target is not
 * connected, drops, or does not answer by the deadline. All but {@link #ips()} run on the router's one event loop.
 */
final class ConnectedDaemons {
    private final Map<String, Channel> byIp = new ConcurrentHashMap<>();
    private final Map<Long, Relay> relays = new HashMap<>();
    private final Map<Channel, Integer> inFlight = new HashMap<>();
    private final RouterSettings settings;
    private final RouterMetrics metrics;
    private long nextRequestId;

    private record Relay(Channel from, long fromRequestId, String target, Channel to, long deadline) {
    }

    ConnectedDaemons(RouterSettings settings, RouterMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
    }

    /** Takes a machine's daemon; false when one is connected for that IP already. */
    boolean add(String ip, Channel channel) {
        return byIp.putIfAbsent(ip, channel) == null;
    }

    /** A daemon's connection closed: what it waited for is dropped, what waited for it is UNREACHABLE. */
    void remove(String ip, Channel channel) {
        byIp.remove(ip, channel);
        inFlight.remove(channel);
        for (Iterator<Relay> it = relays.values().iterator(); it.hasNext(); ) {
            Relay relay = it.next();
            if (relay.from() == channel) {
                it.remove();
            } else if (relay.to() == channel) {
                it.remove();
                answer(relay, CommandResult.failed(Outcome.UNREACHABLE, "the daemon of " + ip
                        + " dropped before answering"));
            }
        }
    }

    /** The connected machines, sorted; from any thread. */
    Set<String> ips() {
        return new TreeSet<>(byIp.keySet());
    }

    int size() {
        return byIp.size();
    }

    /** Sends {@code command} from the daemon on {@code from} to the daemon of {@code target}. */
    void relay(Channel from, String fromIp, long requestId, String target, String user, AdminCommand command) {
        int waiting = inFlight.getOrDefault(from, 0);
        if (waiting >= settings.maxInFlight()) {
            reply(from, requestId, CommandResult.failed(Outcome.FAILED, "too many commands waiting for answers ("
                    + settings.maxInFlight() + "); try again when some have ended"));
            return;
        }
        Channel to = byIp.get(target);
        if (to == null) {
            reply(from, requestId, CommandResult.failed(Outcome.UNREACHABLE, "the daemon of " + target
                    + " is not connected to the router"));
            return;
        }
        if (!to.isWritable()) {
            metrics.unsent();
            reply(from, requestId, CommandResult.failed(Outcome.UNREACHABLE, "the daemon of " + target
                    + " is not reading what the router sends it"));
            return;
        }
        long id = ++nextRequestId;
        long deadline = settings.ticker().nanoTime() + settings.relayTimeout().toNanos();
        relays.put(id, new Relay(from, requestId, target, to, deadline));
        inFlight.merge(from, 1, Integer::sum);
        to.writeAndFlush(PlaneMessages.commandFrom(id, fromIp, user, command.toString()));
    }

    /** The answer of the daemon on {@code to} to relay {@code requestId}; a late or foreign answer is dropped. */
    void answered(Channel to, long requestId, CommandResult result) {
        Relay relay = relays.get(requestId);
        if (relay != null && relay.to() == to) {
            relays.remove(requestId);
            answer(relay, result);
        }
    }

    /** Answers UNREACHABLE every relay whose deadline passed. */
    void expire() {
        long now = settings.ticker().nanoTime();
        for (Iterator<Relay> it = relays.values().iterator(); it.hasNext(); ) {
            Relay relay = it.next();
            if (now - relay.deadline() >= 0) {
                it.remove();
                answer(relay, CommandResult.failed(Outcome.UNREACHABLE, "the daemon of " + relay.target()
                        + " did not answer within " + settings.relayTimeout().toMillis() + " ms"));
            }
        }
    }

    private void answer(Relay relay, CommandResult result) {
        inFlight.computeIfPresent(relay.from(), (channel, n) -> n == 1 ? null : n - 1);
        reply(relay.from(), relay.fromRequestId(), result);
    }

    /** Answers the daemon on {@code to} at once. */
    void reply(Channel to, long requestId, CommandResult result) {
        metrics.relayed(result.outcome());
        send(to, PlaneMessages.result(requestId, result));
    }

    /**
     * Writes {@code message} unless {@code to} is not writable: a daemon that does not read must not grow the router's
     * buffers. The unsent message is counted; its session closes the connection if it stays so (see DaemonSession).
     */
    boolean send(Channel to, Object message) {
        if (!to.isWritable()) {
            metrics.unsent();
            return false;
        }
        to.writeAndFlush(message);
        return true;
    }
}
