package io.switchboard.cluster.internal;

import io.switchboard.cluster.protocol.ClusterFrameLayout;
import io.switchboard.cluster.protocol.ClusterFrameDecoder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.LinkProof;
import io.switchboard.cluster.protocol.Loopback;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The start of every link, before {@link LinkHandler}: who the peer is, and whether it may link. Both ends send HELLO
 * (node id, type and, with a secret, a fresh nonce) on connect; the dialer answers the acceptor's HELLO with AUTH (its
 * {@link LinkProof}); the acceptor checks that proof and the peer's identity ({@link PeerCheck}) and only then sends
 * its own AUTH, so it reveals no proof to a peer that has not proved itself, and the dialer sends nothing more until
 * the acceptor has let it in. The dialer checks the acceptor's AUTH and identity in turn. Once through, this handler
 * fires {@link PeerAuthenticated} and leaves the pipeline.
 *
 * <p>Anything else before that — data, a wrong, missing or reflected proof, a secret on one side only, a peer off
 * loopback on a link without secret or TLS, or no answer within {@link LinkSettings#authTimeout()} on the ticker —
 * closes the link with a counted {@link LinkCloseReason}. Links without a secret run the same exchange without
 * nonces and proofs.
 */
public final class LinkAuthenticator extends ChannelInboundHandlerAdapter {
    /** The largest frame a peer may send before it is authenticated: HELLO and AUTH with room to spare. */
    static final int UNAUTHENTICATED_MAX_FRAME_LENGTH = 4 * 1024;
    private static final Logger log = LoggerFactory.getLogger(LinkAuthenticator.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final IntSupplier selfNodeId;
    private final String selfType;
    private final LinkRole role;
    /** {@code null} without a cluster secret. */
    private final LinkProof proof;
    private final boolean peersAuthenticated;
    private final PeerCheck peers;
    private final LinkSettings settings;
    private final LinkCloseLog closeLog;
    private int selfId;
    private long connectedAt;
    private byte[] ownNonce;
    private byte[] peerNonce;
    private LinkIdentity peer;
    /** The peer's proof checked out; only the registry has yet to list it. */
    private boolean proven;
    private boolean done;
    private ScheduledFuture<?> deadline;

    /**
     * @param proof              the secret's proofs, or {@code null} without a secret
     * @param peersAuthenticated whether a secret or TLS authenticates the peer; if not, only loopback peers may link
     */
    LinkAuthenticator(IntSupplier selfNodeId, String selfType, LinkRole role, LinkProof proof,
                      boolean peersAuthenticated, PeerCheck peers, LinkSettings settings, LinkCloseLog closeLog) {
        this.selfNodeId = selfNodeId;
        this.selfType = selfType;
        this.role = role;
        this.proof = proof;
        this.peersAuthenticated = peersAuthenticated;
        this.peers = peers;
        this.settings = settings;
        this.closeLog = closeLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
        connectedAt = settings.ticker().nanoTime();
        long every = settings.checkInterval().toNanos();
        deadline = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
        if (!peersAuthenticated && !Loopback.isLoopback(ctx.channel().remoteAddress())) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "a peer off loopback, and links here have no secret or TLS");
            return;
        }
        // Read once: the MAC below must name the id this HELLO gave, even if a re-registration changes it.
        selfId = selfNodeId.getAsInt();
        if (proof != null) {
            ownNonce = LinkProof.newNonce(RANDOM);
            ctx.writeAndFlush(Envelopes.hello(selfId, selfType, ownNonce));
        } else {
            ctx.writeAndFlush(Envelopes.hello(selfId, selfType));
        }
    }

    /** Retries the registry for a proven peer, and closes the link at the deadline. */
    private void check(ChannelHandlerContext ctx) {
        if (done) {
            return;
        }
        if (proven) {
            admit(ctx);
            if (done) {
                return;
            }
        }
        if (settings.ticker().nanoTime() - connectedAt > settings.authTimeout().toNanos()) {
            if (proven) {
                refuse(ctx, LinkCloseReason.PEER_UNKNOWN, "the registry lists no " + peer.type() + " node "
                        + peer.nodeId());
            } else {
                refuse(ctx, LinkCloseReason.AUTH_TIMEOUT, "not authenticated within " + settings.authTimeout());
            }
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (done) {
            // Closing already: whatever else the read brought is dropped.
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!(msg instanceof ClusterEnvelope addressed)) {
            ReferenceCountUtil.release(msg);
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "unexpected " + msg.getClass().getSimpleName());
            return;
        }
        Envelope envelope = addressed.envelope();
        Kind kind = Envelopes.kind(envelope);
        // A proven peer waits for this side's AUTH before it says anything more.
        if (kind != Kind.CONTROL || proven) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, kind + " before authenticating");
            return;
        }
        Control control = Envelopes.control(envelope);
        switch (control.getType()) {
            case HELLO -> hello(ctx, control);
            case AUTH -> auth(ctx, control);
            default -> refuse(ctx, LinkCloseReason.AUTH_FAILED, control.getType() + " before authenticating");
        }
    }

    private void hello(ChannelHandlerContext ctx, Control control) {
        if (peer != null) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "a second HELLO");
            return;
        }
        if (!control.hasNodeId() || !control.hasNodeType()) {
            refuse(ctx, LinkCloseReason.PROTOCOL_VIOLATION, "HELLO without node id or type");
            return;
        }
        peer = new LinkIdentity(control.getNodeId(), control.getNodeType());
        if (proof != null && !control.hasNonce()) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "the peer has no cluster secret; this process has one");
            return;
        }
        if (proof == null && control.hasNonce()) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "the peer has a cluster secret; this process has none");
            return;
        }
        if (proof != null) {
            peerNonce = control.getNonce().toByteArray();
            if (peerNonce.length != LinkProof.NONCE_BYTES || Arrays.equals(peerNonce, ownNonce)) {
                refuse(ctx, LinkCloseReason.AUTH_FAILED, "a bad or reflected nonce");
                return;
            }
        }
        if (role == LinkRole.DIALER) {
            ctx.writeAndFlush(Envelopes.auth(selfId, ownProof()));
        }
    }

    private void auth(ChannelHandlerContext ctx, Control control) {
        if (peer == null) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "AUTH before HELLO");
            return;
        }
        if (proof != null && !proof.verify(control.getProof().toByteArray(), role.peer().label(), dialerNonce(),
                acceptorNonce(), peer.nodeId(), peer.type())) {
            refuse(ctx, LinkCloseReason.AUTH_FAILED, "a wrong proof of the cluster secret");
            return;
        }
        proven = true;
        admit(ctx);
    }

    /** Lets a proven peer in when the registry vouches for it; an unknown one is asked again until the deadline. */
    private void admit(ChannelHandlerContext ctx) {
        Optional<LinkCloseReason> refusal = peers.refusal(ctx.channel(), peer);
        if (refusal.isEmpty()) {
            authenticated(ctx);
        } else if (refusal.get() != LinkCloseReason.PEER_UNKNOWN || role == LinkRole.DIALER) {
            // A dialer has the acceptor's AUTH already, and the acceptor may be sending: no waiting there.
            refuse(ctx, refusal.get(), "refused " + peer.type() + " node " + peer.nodeId());
        }
    }

    private void authenticated(ChannelHandlerContext ctx) {
        done = true;
        deadline.cancel(false);
        if (role == LinkRole.ACCEPTOR) {
            // Before the event: whatever the link's listener sends must follow this AUTH.
            ctx.writeAndFlush(Envelopes.auth(selfId, ownProof()));
        }
        ClusterFrameDecoder frames = ctx.pipeline().get(ClusterFrameDecoder.class);
        if (frames != null) {
            frames.maxFrameLength(ClusterFrameLayout.DEFAULT_MAX_FRAME_LENGTH);
        }
        ctx.fireUserEventTriggered(new PeerAuthenticated(peer));
        ctx.pipeline().remove(this);
    }

    private byte[] ownProof() {
        return proof == null ? null : proof.of(role.label(), dialerNonce(), acceptorNonce(), selfId, selfType);
    }

    private byte[] dialerNonce() {
        return role == LinkRole.DIALER ? ownNonce : peerNonce;
    }

    private byte[] acceptorNonce() {
        return role == LinkRole.ACCEPTOR ? ownNonce : peerNonce;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake && !handshake.isSuccess()) {
            refuse(ctx, LinkCloseReason.TLS_FAILED, "TLS handshake failed: " + handshake.cause());
        }
        ctx.fireUserEventTriggered(event);
    }

    private void refuse(ChannelHandlerContext ctx, LinkCloseReason reason, String why) {
        if (done) {
            return;
        }
        done = true;
        if (deadline != null) {
            deadline.cancel(false);
        }
        closeLog.warn(log, reason, ctx.channel().remoteAddress() + " (" + role + ")", why);
        LinkClose.close(ctx.channel(), reason);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
