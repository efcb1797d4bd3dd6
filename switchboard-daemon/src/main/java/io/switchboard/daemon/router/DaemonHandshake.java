package io.switchboard.daemon.router;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.LinkProof;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.globaldb.World;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The start of a daemon's connection, before {@link DaemonSession}: the router sends a challenge; the daemon answers
 * HELLO with its machine IP and its proof of the cluster secret (both nonces and the IP in it); the router checks the
 * proof, then that the IP is a machine of the world (reading the world again if it is not, so a fresh import counts)
 * and that no other daemon holds it, and only then sends its own proof in WELCOME. Any failure is a
 * {@code plane.refused} frame with the reason, then the close. Without a secret the exchange carries no nonces and
 * proofs and only loopback peers are taken, as on the cluster link. Nothing but HELLO is read before WELCOME, in
 * frames of at most {@link PlaneFrames#HANDSHAKE_MAX_FRAME_LENGTH} bytes, within {@link RouterSettings#helloTimeout()}
 * on the ticker.
 */
final class DaemonHandshake extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(DaemonHandshake.class);
    /** An HMAC-SHA256 proof's length. */
    private static final int PROOF_BYTES = 32;

    private final PlaneProof proof;
    private final RouterSettings settings;
    private final RouterWorld world;
    private final ConnectedDaemons daemons;
    private final Refusals refusals;
    private byte[] routerNonce;
    private long connectedAt;
    private ScheduledFuture<?> deadline;
    /** A HELLO was read: nothing more is, until WELCOME or a refusal. */
    private boolean helloRead;
    private boolean done;

    /** @param proof the secret's proofs, or {@code null} without a secret */
    DaemonHandshake(PlaneProof proof, RouterSettings settings, RouterWorld world, ConnectedDaemons daemons,
                    Refusals refusals) {
        this.proof = proof;
        this.settings = settings;
        this.world = world;
        this.daemons = daemons;
        this.refusals = refusals;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        connectedAt = settings.ticker().nanoTime();
        long every = settings.checkInterval().toNanos();
        deadline = ctx.executor().scheduleAtFixedRate(() -> checkDeadline(ctx), every, every, TimeUnit.NANOSECONDS);
        if (proof == null && !Loopback.isLoopback(ctx.channel().remoteAddress())) {
            refuse(ctx, RouterRefusal.NOT_LOOPBACK, "a peer off loopback, and the router has no cluster secret");
            return;
        }
        routerNonce = proof == null ? null : PlaneProof.newNonce();
        ctx.writeAndFlush(PlaneMessages.challenge(routerNonce));
    }

    private void checkDeadline(ChannelHandlerContext ctx) {
        if (!done && settings.ticker().nanoTime() - connectedAt > settings.helloTimeout().toNanos()) {
            refuse(ctx, RouterRefusal.HELLO_TIMEOUT, "no HELLO within " + settings.helloTimeout().toMillis() + " ms");
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ClusterEnvelope addressed) || helloRead
                || !PlaneMessages.isNotify(addressed.envelope(), PlaneMessages.HELLO)) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, RouterRefusal.PROTOCOL, "expected one HELLO first");
            return;
        }
        helloRead = true;
        try {
            hello(ctx, PlaneMessages.body(addressed.envelope()));
        } catch (PlaneProtocolException e) {
            refuse(ctx, RouterRefusal.PROTOCOL, "a bad HELLO: " + e.getMessage());
        }
    }

    private void hello(ChannelHandlerContext ctx, JsonNode body) throws PlaneProtocolException {
        String ip = PlaneMessages.text(body, "ip", PlaneMessages.MAX_IP);
        Optional<byte[]> daemonNonce = PlaneMessages.bytes(body, "nonce", LinkProof.NONCE_BYTES);
        Optional<byte[]> daemonProof = PlaneMessages.bytes(body, "proof", PROOF_BYTES);
        if (proof == null) {
            if (daemonNonce.isPresent() || daemonProof.isPresent()) {
                refuse(ctx, RouterRefusal.SECRET_MISMATCH, "the daemon has a cluster secret; the router has none");
                return;
            }
            machine(ctx, ip, null);
            return;
        }
        if (daemonNonce.isEmpty() || daemonProof.isEmpty()) {
            refuse(ctx, RouterRefusal.SECRET_MISMATCH, "the daemon has no cluster secret; the router has one");
            return;
        }
        if (Arrays.equals(daemonNonce.get(), routerNonce)) {
            refuse(ctx, RouterRefusal.WRONG_PROOF, "a reflected nonce");
            return;
        }
        if (!proof.isDaemons(daemonProof.get(), daemonNonce.get(), routerNonce, ip)) {
            refuse(ctx, RouterRefusal.WRONG_PROOF, "a wrong proof of the cluster secret");
            return;
        }
        machine(ctx, ip, daemonNonce.get());
    }

    /** The peer is proven: is its IP a machine of the world? If not as last read, read it again first. */
    private void machine(ChannelHandlerContext ctx, String ip, byte[] daemonNonce) {
        if (world.current().machine(ip).isPresent()) {
            admit(ctx, ip, daemonNonce);
            return;
        }
        world.reload().whenCompleteAsync((fresh, failure) -> {
            if (done) {
                return;
            }
            World known = fresh != null ? fresh : world.current();
            if (known.machine(ip).isPresent()) {
                admit(ctx, ip, daemonNonce);
            } else {
                refuse(ctx, RouterRefusal.UNKNOWN_MACHINE, ip + " is not a machine of the world");
            }
        }, ctx.executor());
    }

    private void admit(ChannelHandlerContext ctx, String ip, byte[] daemonNonce) {
        if (!ctx.channel().isActive()) {
            finish();
            return;
        }
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress peer && peer.getAddress() != null
                && !peer.getAddress().getHostAddress().equals(ip)) {
            // Every cluster process holds the secret: the source address keeps one from passing for another machine.
            refuse(ctx, RouterRefusal.ADDRESS_MISMATCH, "the daemon of " + ip + " must dial from " + ip + ", not from "
                    + peer.getAddress().getHostAddress());
            return;
        }
        if (!daemons.add(ip, ctx.channel())) {
            refuse(ctx, RouterRefusal.DUPLICATE, "a daemon of " + ip + " is connected already");
            return;
        }
        finish();
        ctx.writeAndFlush(PlaneMessages.welcome(proof == null ? null : proof.ofRouter(daemonNonce, routerNonce, ip)));
        PlaneFrames.authenticated(ctx.pipeline(), settings.maxFrameLength());
        ctx.pipeline().replace(this, "daemon", new DaemonSession(ip, settings, daemons, refusals));
        log.info("router: the daemon of {} connected from {}", ip, ctx.channel().remoteAddress());
    }

    private void refuse(ChannelHandlerContext ctx, RouterRefusal reason, String why) {
        if (!done) {
            finish();
            refusals.refuse(ctx.channel(), reason, why);
        }
    }

    private void finish() {
        done = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!done) {
            finish();
            refusals.failed(ctx.channel(), cause, "before HELLO");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finish();
        ctx.fireChannelInactive();
    }
}
