package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;

import java.time.Duration;

/**
 * Keeps an established client honest about being alive. Any inbound package proves it; a heartbeat package is
 * answered at once. After the handshake ack one heartbeat is sent, and a client silent for twice the interval is
 * kicked. Heartbeats before the ack are dropped unanswered: they prove nothing to the
 * {@link HandshakeDeadlineHandler}. Time is read from the injected {@link Ticker}; the check runs every
 * {@code checkInterval} from the ack on.
 */
final class HeartbeatHandler extends ChannelDuplexHandler {
    /** A heartbeat package is always {@code 03 00 00 00}; one shared, read-only copy. */
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HEARTBEAT.code(), 0, 0, 0}).asReadOnly());

    private final Ticker ticker;
    private final long heartbeatTimeoutNanos;
    private final GateMetrics metrics;
    private final PeriodicCheck check;
    private long lastReadNanos;
    /** A package arrived since the clock was last read: the clock is read once per read batch, not per package. */
    private boolean readSeen;
    private boolean established;

    HeartbeatHandler(Ticker ticker, Duration heartbeat, Duration checkInterval, GateMetrics metrics) {
        this.ticker = ticker;
        this.heartbeatTimeoutNanos = heartbeat.toNanos() * 2;
        this.check = new PeriodicCheck(checkInterval.toNanos());
        this.metrics = metrics;
    }

    static ByteBuf heartbeatPackage() {
        return HEARTBEAT.duplicate();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        check.cancel();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        check.cancel();
        super.channelInactive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        readSeen = true;
        if (msg instanceof PomeloPackage pkg && pkg.type() == PackageType.HEARTBEAT) {
            pkg.release();
            if (established) {
                ctx.writeAndFlush(heartbeatPackage());
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (readSeen) {
            readSeen = false;
            lastReadNanos = ticker.nanoTime();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == GateEvents.ESTABLISHED) {
            established = true;
            lastReadNanos = ticker.nanoTime();
            check.start(ctx, () -> check(ctx));
            ctx.writeAndFlush(heartbeatPackage());
        }
        super.userEventTriggered(ctx, evt);
    }

    private void check(ChannelHandlerContext ctx) {
        if (readSeen) {
            // Read, but the batch's end has not come through (a handler before this one holds it back).
            readSeen = false;
            lastReadNanos = ticker.nanoTime();
        }
        if (ticker.nanoTime() - lastReadNanos > heartbeatTimeoutNanos) {
            Kicks.kick(ctx.channel(), KickCode.HEARTBEAT_TIMEOUT, KickReasons.HEARTBEAT_TIMEOUT, metrics);
        }
    }
}
