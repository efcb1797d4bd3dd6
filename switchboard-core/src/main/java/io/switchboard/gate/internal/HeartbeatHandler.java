package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;

/**
 * Keeps an established client honest about being alive. Any inbound package proves it. A heartbeat (what its
 * {@link HeartbeatWire} says one is: Pomelo's heartbeat package, KIM's ping) is
 * answered at once, but at most once per interval (less a tenth: clients' timers fire a little early) and never onto
 * an outbound buffer over its high-water mark, so a heartbeat flood costs the gate no more than a quiet client and
 * cannot get past the slow-reader guard. After the handshake ack one heartbeat is sent, and a client silent for twice
 * the interval is kicked. Heartbeats before the ack are dropped unanswered: they prove nothing to the
 * {@link HandshakeDeadlineHandler}. Time is read from the injected ticker; the check runs every
 * check interval from the ack on, in its event loop's {@link HeartbeatSweeps sweep}.
 */
final class HeartbeatHandler extends ChannelDuplexHandler {
    /** A heartbeat package is always {@code 03 00 00 00}; one shared, read-only copy. */
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HEARTBEAT.code(), 0, 0, 0}).asReadOnly());

    /** Pomelo's: a heartbeat package is answered with one, and one goes out when the session is established. */
    static final HeartbeatWire POMELO = new HeartbeatWire() {
        @Override
        public Object answerTo(Object msg) {
            return msg instanceof PomeloPackage pkg && pkg.type() == PackageType.HEARTBEAT ? heartbeatPackage() : null;
        }

        @Override
        public Object first() {
            return heartbeatPackage();
        }
    };

    /** What the gate's handlers share, and the sweep that checks this one. */
    private final HeartbeatSweeps sweeps;
    private final HeartbeatWire wire;
    /** Set once established: the sweep checks the connection through it. */
    private ChannelHandlerContext ctx;
    /** This connection's place in its event loop's sweep; kept there, on the loop, by {@link HeartbeatSweeps}. */
    HeartbeatHandler prev;
    HeartbeatHandler next;
    boolean linked;
    private long lastReadNanos;
    /** A package arrived since the clock was last read: the clock is read once per read batch, not per package. */
    private boolean readSeen;
    private boolean answered;
    private long lastAnswerNanos;

    HeartbeatHandler(HeartbeatSweeps sweeps) {
        this(sweeps, POMELO);
    }

    HeartbeatHandler(HeartbeatSweeps sweeps, HeartbeatWire wire) {
        this.sweeps = sweeps;
        this.wire = wire;
    }

    static ByteBuf heartbeatPackage() {
        return HEARTBEAT.duplicate();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        sweeps.remove(this, ctx.executor());
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        sweeps.remove(this, ctx.executor());
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readSeen = true;
        Object answer = wire.answerTo(msg);
        if (answer != null) {
            ReferenceCountUtil.release(msg);
            if (this.ctx != null) {
                answer(ctx, answer);
            } else {
                ReferenceCountUtil.release(answer);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void answer(ChannelHandlerContext ctx, Object answer) {
        long now = sweeps.ticker.nanoTime();
        if ((answered && now - lastAnswerNanos < sweeps.minAnswerGapNanos) || !ctx.channel().isWritable()) {
            ReferenceCountUtil.release(answer);
            return;
        }
        answered = true;
        lastAnswerNanos = now;
        ctx.writeAndFlush(answer);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readSeen) {
            readSeen = false;
            lastReadNanos = sweeps.ticker.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == GateEvents.ESTABLISHED && this.ctx == null && ctx.channel().isActive()) {
            this.ctx = ctx;
            lastReadNanos = sweeps.ticker.nanoTime();
            sweeps.add(this, ctx.executor());
            Object first = wire.first();
            if (first != null) {
                ctx.writeAndFlush(first);
            }
        }
        super.userEventTriggered(ctx, evt);
    }

    /**
     * Run by the sweep on the connection's event loop, {@code now} read once for the walk: a client silent for twice
     * the interval is kicked.
     */
    void check(long now) {
        if (readSeen) {
            // Read, but the batch's end has not come through (a handler before this one holds it back).
            readSeen = false;
            lastReadNanos = now;
        }
        if (now - lastReadNanos > sweeps.heartbeatTimeoutNanos) {
            // Silence is a drop (the network went away), not a goodbye: the session may be resumed.
            CloseReason.setDropped(ctx.channel(), KickReasons.HEARTBEAT_TIMEOUT);
            Kicks.kick(ctx.channel(), KickCode.HEARTBEAT_TIMEOUT, KickReasons.HEARTBEAT_TIMEOUT, sweeps.metrics);
        }
    }
}
