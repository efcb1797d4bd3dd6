package io.switchboard.cluster.internal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import io.switchboard.cluster.ClusterMetrics;
import io.switchboard.cluster.LinkCloseReason;
import io.switchboard.cluster.LinkSettings;
import io.switchboard.cluster.protocol.ClusterEnvelope;
import io.switchboard.cluster.protocol.ClusterFrameException;
import io.switchboard.cluster.protocol.Envelopes;
import io.switchboard.cluster.protocol.proto.Control;
import io.switchboard.cluster.protocol.proto.Envelope;
import io.switchboard.cluster.protocol.proto.Kind;
import io.switchboard.gate.FanOutBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The link protocol on top of the envelope codec, once {@link LinkAuthenticator} let the peer in (the same on both
 * ends): answer every PING with a PONG, ping when idle, and close the link when the peer has been silent longer than
 * {@link LinkSettings#deadAfter()} — measured on the injected ticker, so a dead peer is found without waiting for
 * TCP. Anything wrong closes only this link, with a counted reason; every link, authenticated or not, is counted.
 */
public final class LinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);

    private final IntSupplier selfNodeId;
    private final LinkSettings settings;
    private final LinkListener listener;
    private final ClusterMetrics metrics;
    private final LinkCloseLog closeLog;
    private long lastRead;
    private long lastPing;
    private long pingSequence;
    private Link link;
    private ScheduledFuture<?> check;
    private boolean counted;

    /** @param selfNodeId what pings and pongs carry: a node's id can change when its registration is restored */
    LinkHandler(IntSupplier selfNodeId, LinkSettings settings, LinkListener listener, ClusterMetrics metrics,
                LinkCloseLog closeLog) {
        this.selfNodeId = selfNodeId;
        this.settings = settings;
        this.listener = listener;
        this.metrics = metrics;
        this.closeLog = closeLog;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.linkOpened();
        counted = true;
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (!(event instanceof PeerAuthenticated authenticated)) {
            ctx.fireUserEventTriggered(event);
            return;
        }
        long now = settings.ticker().nanoTime();
        lastRead = now;
        lastPing = now;
        long every = settings.checkInterval().toNanos();
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
        LinkIdentity peer = authenticated.peer();
        link = new Link(ctx.channel(), peer.nodeId(), peer.type());
        listener.linkUp(link);
    }

    /** Pings when due and declares the peer dead after too long a silence. */
    private void check(ChannelHandlerContext ctx) {
        long now = settings.ticker().nanoTime();
        if (now - lastRead > settings.deadAfter().toNanos()) {
            log.warn("cluster link {} silent for over {}: closing", describe(ctx), settings.deadAfter());
            LinkClose.close(ctx.channel(), LinkCloseReason.PEER_SILENT);
            return;
        }
        if (now - lastPing >= settings.pingInterval().toNanos()) {
            lastPing = now;
            ctx.writeAndFlush(Envelopes.ping(selfNodeId.getAsInt(), ++pingSequence));
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ClusterEnvelope addressed)) {
            ctx.fireChannelRead(msg);
            return;
        }
        lastRead = settings.ticker().nanoTime();
        Envelope envelope = addressed.envelope();
        Kind kind = Envelopes.kind(envelope);
        if (link == null) {
            // Only a pipeline without the authenticator in front gets here.
            violation(ctx, "data before authentication: " + kind);
            return;
        }
        if (kind == Kind.CONTROL) {
            control(ctx, Envelopes.control(envelope));
            return;
        }
        if (kind == Kind.KIND_UNSPECIFIED) {
            violation(ctx, "envelope without a kind");
            return;
        }
        if (kind == Kind.BROADCAST) {
            // A read brings many broadcasts: on a gate, the pushes of all of them to one session leave with one write.
            FanOutBatch.begin();
        }
        listener.received(link, envelope);
    }

    /** The broadcasts of this read held back their writes (see {@link #channelRead}): they go now. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        FanOutBatch.end();
        ctx.fireChannelReadComplete();
    }

    private void control(ChannelHandlerContext ctx, Control control) {
        switch (control.getType()) {
            case PING -> ctx.writeAndFlush(Envelopes.pong(selfNodeId.getAsInt(), control.getSequence()));
            case PONG -> {
                // lastRead is already updated: the pong's work is done.
            }
            default -> violation(ctx, "unexpected control " + control.getType());
        }
    }

    private void violation(ChannelHandlerContext ctx, String what) {
        closeLog.warn(log, LinkCloseReason.PROTOCOL_VIOLATION, describe(ctx), what);
        LinkClose.close(ctx.channel(), LinkCloseReason.PROTOCOL_VIOLATION);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The frame decoder counted its refusal already; the link cannot be trusted after one.
        Throwable root = cause.getCause() instanceof ClusterFrameException ? cause.getCause() : cause;
        if (root instanceof ClusterFrameException frame) {
            closeLog.warn(log, LinkCloseReason.BAD_FRAME, describe(ctx),
                    frame.getMessage() + " (" + frame.reason() + ")");
            LinkClose.close(ctx.channel(), LinkCloseReason.BAD_FRAME);
        } else if (isTls(cause)) {
            // The authenticator logged a failed handshake already; later TLS errors are I/O errors of a kind.
            log.debug("cluster link {}: TLS failed; closing", describe(ctx), cause);
            LinkClose.close(ctx.channel(), LinkCloseReason.TLS_FAILED);
        } else {
            log.debug("cluster link {} failed", describe(ctx), cause);
            LinkClose.close(ctx.channel(), LinkCloseReason.IO_ERROR);
        }
    }

    private static boolean isTls(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        FanOutBatch.end(); // in case the read that held them never completes
        if (check != null) {
            check.cancel(false);
        }
        LinkCloseReason reason = LinkClose.reasonOf(ctx.channel());
        if (counted) {
            counted = false;
            metrics.linkClosed(reason);
        }
        if (link != null) {
            listener.linkDown(link, reason);
        }
        ctx.fireChannelInactive();
    }

    private String describe(ChannelHandlerContext ctx) {
        return link != null ? link.toString() : String.valueOf(ctx.channel().remoteAddress());
    }
}
