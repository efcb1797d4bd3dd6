package io.switchboard.cluster.internal;

import io.netty.channel.Channel;
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
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The link protocol on top of the envelope codec, the same on both ends: say HELLO on connect, wait for the
 * peer's HELLO before anything else, answer every PING with a PONG, ping when idle, and close the link when the
 * peer has been silent longer than {@link LinkSettings#deadAfter()} — measured on the injected ticker, so a dead
 * peer is found without waiting for TCP. Anything wrong closes only this link, with a counted reason.
 */
public final class LinkHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(LinkHandler.class);
    private static final AttributeKey<LinkCloseReason> CLOSE_REASON = AttributeKey.valueOf("switchboard.linkClose");

    private final IntSupplier selfNodeId;
    private final String selfType;
    private final LinkSettings settings;
    private final LinkListener listener;
    private final ClusterMetrics metrics;
    private long lastRead;
    private long lastPing;
    private long pingSequence;
    private Link link;
    private ScheduledFuture<?> check;
    private boolean counted;

    /** @param selfNodeId read at connect time: a node's id can change when its registration is restored */
    public LinkHandler(IntSupplier selfNodeId, String selfType, LinkSettings settings, LinkListener listener,
                       ClusterMetrics metrics) {
        this.selfNodeId = selfNodeId;
        this.selfType = selfType;
        this.settings = settings;
        this.listener = listener;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.linkOpened();
        counted = true;
        long now = settings.ticker().nanoTime();
        lastRead = now;
        lastPing = now;
        ctx.writeAndFlush(Envelopes.hello(selfNodeId.getAsInt(), selfType));
        long every = settings.checkInterval().toNanos();
        check = ctx.executor().scheduleAtFixedRate(() -> check(ctx), every, every, TimeUnit.NANOSECONDS);
        ctx.fireChannelActive();
    }

    /** Pings when due and declares the peer dead after too long a silence. */
    private void check(ChannelHandlerContext ctx) {
        long now = settings.ticker().nanoTime();
        if (now - lastRead > settings.deadAfter().toNanos()) {
            log.warn("cluster link {} silent for over {}: closing", describe(ctx), settings.deadAfter());
            close(ctx.channel(), LinkCloseReason.PEER_SILENT);
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
        if (kind == Kind.CONTROL) {
            control(ctx, Envelopes.control(envelope));
            return;
        }
        if (link == null) {
            violation(ctx, "data before HELLO: " + kind);
            return;
        }
        if (kind == Kind.KIND_UNSPECIFIED) {
            violation(ctx, "envelope without a kind");
            return;
        }
        listener.received(link, envelope);
    }

    private void control(ChannelHandlerContext ctx, Control control) {
        switch (control.getType()) {
            case HELLO -> {
                if (link != null) {
                    violation(ctx, "second HELLO");
                    return;
                }
                if (!control.hasNodeId() || !control.hasNodeType()) {
                    violation(ctx, "HELLO without node id or type");
                    return;
                }
                link = new Link(ctx.channel(), control.getNodeId(), control.getNodeType(), settings.clock(), this);
                listener.linkUp(link);
            }
            case PING -> ctx.writeAndFlush(Envelopes.pong(selfNodeId.getAsInt(), control.getSequence()));
            case PONG -> {
                // lastRead is already updated: the pong's work is done.
            }
            default -> violation(ctx, "unknown control " + control.getType());
        }
    }

    private void violation(ChannelHandlerContext ctx, String what) {
        log.warn("cluster link {}: {}; closing", describe(ctx), what);
        close(ctx.channel(), LinkCloseReason.PROTOCOL_VIOLATION);
    }

    /** Closes the channel, remembering the first reason given (that one is counted). */
    void close(Channel channel, LinkCloseReason reason) {
        channel.attr(CLOSE_REASON).setIfAbsent(reason);
        channel.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // The frame decoder counted its refusal already; the link cannot be trusted after one.
        Throwable root = cause.getCause() instanceof ClusterFrameException ? cause.getCause() : cause;
        if (root instanceof ClusterFrameException frame) {
            log.warn("cluster link {}: {} ({}); closing", describe(ctx), frame.getMessage(), frame.reason());
            close(ctx.channel(), LinkCloseReason.BAD_FRAME);
        } else {
            log.debug("cluster link {} failed", describe(ctx), cause);
            close(ctx.channel(), LinkCloseReason.IO_ERROR);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
        }
        LinkCloseReason reason = ctx.channel().attr(CLOSE_REASON).get();
        if (reason == null) {
            reason = LinkCloseReason.PEER_CLOSED;
        }
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
