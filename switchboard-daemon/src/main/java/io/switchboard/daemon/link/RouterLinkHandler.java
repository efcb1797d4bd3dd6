package io.switchboard.daemon.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.LinkProof;
import io.switchboard.cluster.protocol.proto.ControlType;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.common.text.LogText;
import io.switchboard.daemon.command.AdminCommand;
import io.switchboard.daemon.command.CommandResult;
import io.switchboard.daemon.command.CommandResult.Outcome;
import io.switchboard.daemon.command.CommandSyntaxException;
import io.switchboard.daemon.command.LocalCommands;
import io.switchboard.daemon.router.PlaneFrames;
import io.switchboard.daemon.router.PlaneMessages;
import io.switchboard.daemon.router.PlaneProof;
import io.switchboard.daemon.router.PlaneProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * One connection of a daemon to the router: answers the router's challenge with HELLO (this machine's IP and its
 * proof of the secret), checks the router's proof in WELCOME, or hears why it was refused; then pings, sends requests
 * and matches their answers by request id (each with a deadline on the ticker), and runs the commands the router
 * relays to this machine on {@link LocalCommands} — re-parsed here, and only those that act on this machine. The
 * router silent too long, or anything off the protocol, closes the connection, and {@link RouterLink} dials again.
 */
final class RouterLinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RouterLinkHandler.class);
    private static final int PROOF_BYTES = 32;

    private final String ip;
    private final PlaneProof proof;
    private final RouterLinkSettings settings;
    private final LocalCommands local;
    private final Executor commandRunner;
    private final RouterLink owner;
    private final Map<Long, Pending> pending = new HashMap<>();
    private Channel channel;
    private byte[] daemonNonce;
    private byte[] routerNonce;
    private boolean helloSent;
    private boolean welcomed;
    private long connectedAt;
    private long lastRead;
    private long lastPing;
    private long pingSequence;
    private long nextRequestId;
    private int running;
    private ScheduledFuture<?> check;

    private record Pending(CompletableFuture<Envelope> answer, long deadline) {
    }

    /** @param proof the secret's proofs, or {@code null} without a secret */
    RouterLinkHandler(String ip, PlaneProof proof, RouterLinkSettings settings, LocalCommands local,
                      Executor commandRunner, RouterLink owner) {
        this.ip = ip;
        this.proof = proof;
        this.settings = settings;
        this.local = local;
        this.commandRunner = commandRunner;
        this.owner = owner;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        connectedAt = settings.ticker().nanoTime();
        lastRead = connectedAt;
        long every = settings.checkInterval().toNanos();
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    private void check(ChannelHandlerContext ctx) {
        long now = settings.ticker().nanoTime();
        if (!welcomed && now - connectedAt > settings.helloTimeout().toNanos()) {
            close(ctx, "the router did not welcome this daemon within " + settings.helloTimeout().toMillis() + " ms");
            return;
        }
        if (now - lastRead > settings.deadAfter().toNanos()) {
            close(ctx, "the router was silent for over " + settings.deadAfter().toMillis() + " ms");
            return;
        }
        if (welcomed && now - lastPing >= settings.pingInterval().toNanos()) {
            lastPing = now;
            ctx.writeAndFlush(Envelopes.ping(0, ++pingSequence));
        }
        for (Iterator<Pending> it = pending.values().iterator(); it.hasNext(); ) {
            Pending request = it.next();
            if (now - request.deadline() >= 0) {
                it.remove();
                request.answer().completeExceptionally(new RouterUnreachableException("no answer from the router "
                        + "within " + settings.requestTimeout().toMillis() + " ms"));
            }
        }
    }

    /** Sends the request {@code make} builds for a fresh request id; completes with the answer or exceptionally. */
    CompletableFuture<Envelope> request(LongFunction<Envelope> make) {
        CompletableFuture<Envelope> answer = new CompletableFuture<>();
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                answer.completeExceptionally(new RouterUnreachableException("the link to the router closed"));
                return;
            }
            long id = ++nextRequestId;
            pending.put(id, new Pending(answer, settings.ticker().nanoTime() + settings.requestTimeout().toNanos()));
            channel.writeAndFlush(make.apply(id));
        });
        return answer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ClusterEnvelope addressed)) {
            ReferenceCountUtil.release(msg);
            close(ctx, "unexpected " + msg.getClass().getSimpleName());
            return;
        }
        lastRead = settings.ticker().nanoTime();
        Envelope envelope = addressed.envelope();
        try {
            if (welcomed) {
                linked(ctx, envelope);
            } else {
                handshake(ctx, envelope);
            }
        } catch (PlaneProtocolException e) {
            close(ctx, "the router broke the protocol: " + e.getMessage());
        }
    }

    private void handshake(ChannelHandlerContext ctx, Envelope envelope) throws PlaneProtocolException {
        if (!helloSent && PlaneMessages.isNotify(envelope, PlaneMessages.CHALLENGE)) {
            Optional<byte[]> nonce = PlaneMessages.bytes(PlaneMessages.body(envelope), "nonce", LinkProof.NONCE_BYTES);
            if (proof != null && nonce.isEmpty()) {
                owner.refused("the router has no cluster secret; this daemon has one");
                ctx.close();
                return;
            }
            helloSent = true;
            if (proof == null) {
                // A router with a secret will say it refuses this daemon for having none.
                ctx.writeAndFlush(PlaneMessages.hello(ip, null, null));
            } else {
                routerNonce = nonce.get();
                daemonNonce = PlaneProof.newNonce();
                ctx.writeAndFlush(PlaneMessages.hello(ip, daemonNonce, proof.ofDaemon(daemonNonce, routerNonce, ip)));
            }
        } else if (helloSent && PlaneMessages.isNotify(envelope, PlaneMessages.WELCOME)) {
            if (proof != null && !proof.isRouters(PlaneMessages.bytes(PlaneMessages.body(envelope), "proof",
                    PROOF_BYTES).orElse(null), daemonNonce, routerNonce, ip)) {
                owner.refused("the router's proof of the cluster secret is wrong");
                ctx.close();
                return;
            }
            welcomed = true;
            lastPing = settings.ticker().nanoTime();
            PlaneFrames.authenticated(ctx.pipeline(), settings.maxFrameLength());
            owner.welcomed(this);
        } else if (PlaneMessages.isNotify(envelope, PlaneMessages.REFUSED)) {
            owner.refused(PlaneMessages.text(PlaneMessages.body(envelope), "reason", PlaneMessages.MAX_TEXT));
            ctx.close();
        } else {
            throw new PlaneProtocolException("unexpected " + Envelopes.kind(envelope) + " "
                    + Envelopes.route(envelope) + " during the handshake");
        }
    }

    private void linked(ChannelHandlerContext ctx, Envelope envelope) throws PlaneProtocolException {
        Kind kind = Envelopes.kind(envelope);
        if (kind == Kind.CONTROL) {
            if (Envelopes.control(envelope).getType() == ControlType.PING) {
                ctx.writeAndFlush(Envelopes.pong(0, Envelopes.control(envelope).getSequence()));
            }
        } else if (kind == Kind.RESPONSE) {
            Pending request = pending.remove(Envelopes.requestId(envelope));
            if (request != null) {
                request.answer().complete(envelope);
            }
        } else if (kind == Kind.REQUEST && PlaneMessages.COMMAND.equals(Envelopes.route(envelope))) {
            command(ctx, Envelopes.requestId(envelope), PlaneMessages.body(envelope));
        } else {
            throw new PlaneProtocolException("unexpected " + kind + " " + Envelopes.route(envelope));
        }
    }

    /** A command another machine sent here through the router. */
    private void command(ChannelHandlerContext ctx, long requestId, JsonNode body) throws PlaneProtocolException {
        String from = PlaneMessages.text(body, "from", PlaneMessages.MAX_IP);
        String user = PlaneMessages.text(body, "user", PlaneMessages.MAX_TEXT);
        if (running >= settings.maxInFlight()) {
            ctx.writeAndFlush(PlaneMessages.result(requestId, CommandResult.failed(Outcome.FAILED, "the daemon of "
                    + ip + " runs " + running + " commands already; try again when some have ended")));
            return;
        }
        AdminCommand command;
        try {
            command = PlaneMessages.command(body);
        } catch (CommandSyntaxException e) {
            ctx.writeAndFlush(PlaneMessages.result(requestId, CommandResult.failed(Outcome.BAD_COMMAND,
                    e.getMessage())));
            return;
        }
        if (!command.verb().targetsMachine() || !ip.equals(command.ip())) {
            ctx.writeAndFlush(PlaneMessages.result(requestId, CommandResult.failed(Outcome.BAD_COMMAND,
                    "'" + command + "' does not act on this machine (" + ip + ")")));
            return;
        }
        running++;
        log.info("daemon {}: {} by {} from {}", ip, command, LogText.printable(user), LogText.printable(from));
        CompletableFuture.supplyAsync(() -> local.execute(command), commandRunner)
                .thenCompose(result -> result)
                .exceptionally(failure -> CommandResult.failed(Outcome.FAILED, "'" + command + "' failed: "
                        + failure))
                .thenAccept(result -> ctx.executor().execute(() -> {
                    running--;
                    ctx.writeAndFlush(PlaneMessages.result(requestId, result));
                }));
    }

    private void close(ChannelHandlerContext ctx, String why) {
        log.warn("daemon {}: {}; closing the link to the router", ip, LogText.printable(why));
        ctx.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        close(ctx, "the link failed: " + cause);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        pending.values().forEach(request -> request.answer().completeExceptionally(
                new RouterUnreachableException("the link to the router closed")));
        pending.clear();
        owner.lost(this);
        ctx.fireChannelInactive();
    }
}
