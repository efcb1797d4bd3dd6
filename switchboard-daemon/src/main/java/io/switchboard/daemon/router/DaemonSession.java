package io.switchboard.daemon.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.common.text.LogText;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandSyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * A connected daemon, after {@link DaemonHandshake}: answers its pings and its {@code plane.machines}, relays its
 * {@code plane.command}s (re-parsed here: the router never forwards text it has not read as a command) and passes
 * back the answers to commands relayed to it. A daemon silent for {@link RouterSettings#deadAfter()} is dropped, and
 * so is one that reads nothing for as long (its channel unwritable: nothing more is written to it meanwhile);
 * anything off the protocol closes this connection only.
 */
final class DaemonSession extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DaemonSession.class);

    private final String ip;
    private final RouterSettings settings;
    private final ConnectedDaemons daemons;
    private final Refusals refusals;
    private long lastRead;
    /** When the channel was last seen turning unwritable, {@link #WRITABLE} while it is writable. */
    private long unwritableSince = WRITABLE;
    private static final long WRITABLE = Long.MIN_VALUE;
    private ScheduledFuture<?> check;

    DaemonSession(String ip, RouterSettings settings, ConnectedDaemons daemons, Refusals refusals) {
        this.ip = ip;
        this.settings = settings;
        this.daemons = daemons;
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        lastRead = settings.ticker().nanoTime();
        long every = settings.checkInterval().toNanos();
        check = ctx.executor().scheduleAtFixedRate(() -> {
            long now = settings.ticker().nanoTime();
            if (now - lastRead > settings.deadAfter().toNanos()) {
                refusals.drop(ctx.channel(), RouterRefusal.SILENT, "the daemon of " + ip + " was silent for over "
                        + settings.deadAfter().toMillis() + " ms");
            } else if (notReadingSince(ctx, now) && now - unwritableSince > settings.deadAfter().toNanos()) {
                // A daemon that reads nothing for as long as one that says nothing is as good as dead.
                refusals.drop(ctx.channel(), RouterRefusal.NOT_READING, "the daemon of " + ip
                        + " read nothing the router sent for over " + settings.deadAfter().toMillis() + " ms");
            }
        }, every, every, TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        notReadingSince(ctx, settings.ticker().nanoTime());
        ctx.fireChannelWritabilityChanged();
    }

    /** Whether the channel is unwritable now; notes since when. */
    private boolean notReadingSince(ChannelHandlerContext ctx, long now) {
        if (ctx.channel().isWritable()) {
            unwritableSince = WRITABLE;
            return false;
        }
        if (unwritableSince == WRITABLE) {
            unwritableSince = now;
        }
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ClusterEnvelope addressed)) {
            ReferenceCountUtil.release(msg);
            violation(ctx, "unexpected " + msg.getClass().getSimpleName());
            return;
        }
        lastRead = settings.ticker().nanoTime();
        Envelope envelope = addressed.envelope();
        try {
            switch (Envelopes.kind(envelope)) {
                case CONTROL -> control(ctx, Envelopes.control(envelope));
                case REQUEST -> request(ctx, envelope);
                case RESPONSE -> daemons.answered(ctx.channel(), Envelopes.requestId(envelope),
                        PlaneMessages.result(envelope));
                default -> violation(ctx, "unexpected " + Envelopes.kind(envelope));
            }
        } catch (PlaneProtocolException e) {
            violation(ctx, e.getMessage());
        }
    }

    private void control(ChannelHandlerContext ctx, Control control) {
        if (control.getType() == ControlType.PING) {
            daemons.send(ctx.channel(), Envelopes.pong(0, control.getSequence()));
        } else if (control.getType() != ControlType.PONG) {
            violation(ctx, "unexpected control " + control.getType());
        }
    }

    private void request(ChannelHandlerContext ctx, Envelope envelope) throws PlaneProtocolException {
        long requestId = Envelopes.requestId(envelope);
        switch (Envelopes.route(envelope)) {
            case PlaneMessages.MACHINES -> daemons.send(ctx.channel(),
                    PlaneMessages.machines(requestId, daemons.ips()));
            case PlaneMessages.COMMAND -> command(ctx, requestId, PlaneMessages.body(envelope));
            default -> violation(ctx, "unknown route '" + Envelopes.route(envelope) + "'");
        }
    }

    private void command(ChannelHandlerContext ctx, long requestId, JsonNode body) throws PlaneProtocolException {
        String target = PlaneMessages.text(body, "ip", PlaneMessages.MAX_IP);
        String user = PlaneMessages.text(body, "user", PlaneMessages.MAX_TEXT);
        AdminCommand command;
        try {
            command = PlaneMessages.command(body);
        } catch (CommandSyntaxException e) {
            daemons.reply(ctx.channel(), requestId, CommandResult.failed(CommandResult.Outcome.BAD_COMMAND,
                    e.getMessage()));
            return;
        }
        if (!command.verb().targetsMachine()) {
            // Only start/stop/kill act on a machine; anything else would run on a daemon that never asked for it.
            daemons.reply(ctx.channel(), requestId, CommandResult.failed(CommandResult.Outcome.BAD_COMMAND,
                    "'" + command + "' is not relayed: only start, stop and kill go to another machine"));
            return;
        }
        if (!command.ip().equals(target)) {
            daemons.reply(ctx.channel(), requestId, CommandResult.failed(CommandResult.Outcome.BAD_COMMAND,
                    "'" + command + "' names " + command.ip() + " but was sent to " + target));
            return;
        }
        log.info("router: {} by {} from {} to {}", command, LogText.printable(user), ip, LogText.printable(target));
        daemons.relay(ctx.channel(), ip, requestId, target, user, command);
    }

    private void violation(ChannelHandlerContext ctx, String what) {
        refusals.drop(ctx.channel(), RouterRefusal.PROTOCOL, "the daemon of " + ip + ": " + what);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        refusals.failed(ctx.channel(), cause, "the daemon of " + ip);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        daemons.remove(ip, ctx.channel());
        log.info("router: the daemon of {} disconnected", ip);
        ctx.fireChannelInactive();
    }
}
