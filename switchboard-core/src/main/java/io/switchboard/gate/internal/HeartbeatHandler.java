package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.switchboard.common.time.Ticker;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloPackage;

import java.time.Duration;

/**
 * Keeps an established client honest about being alive. Any inbound package proves it. A heartbeat (what its
 * {@link HeartbeatWire} says one is: Pomelo's heartbeat package, KIM's ping) is
 * answered at once, but at most once per interval (less a tenth: clients' timers fire a little early) and never onto
 * an outbound buffer over its high-water mark, so a heartbeat flood costs the gate no more than a quiet client and
 * cannot get past the slow-reader guard. After the handshake ack one heartbeat is sent, and a client silent for twice
 * the interval is kicked. Heartbeats before the ack are dropped unanswered: they prove nothing to the
 * {@link HandshakeDeadlineHandler}. Time is read from the injected {@link Ticker}; the check runs every
 * {@code checkInterval} from the ack on.
 */
final class HeartbeatHandler extends ChannelDuplexHandler {
    /** A heartbeat package is always {@code 03 00 00 00}; one shared, read-only copy. */
    private static final ByteBuf HEARTBEAT = Unpooled.unreleasableBuffer(
            Unpooled.wrappedBuffer(new byte[] {(byte) PackageType.HEARTBEAT.code(), 0, 0, 0}).asReadOnly());

    private final Ticker ticker;
    /** Clients' timers may fire this fraction of an interval early; an answer to such a heartbeat is still due. */
    private static final int TIMER_SLACK_DIVISOR = 10;

    private final long heartbeatTimeoutNanos;
    private final long minAnswerGapNanos;
    private final GateMetrics metrics;
    private final PeriodicCheck check;
    private long lastReadNanos;
    /** A package arrived since the clock was last read: the clock is read once per read batch, not per package. */
    private boolean readSeen;
    private boolean established;
    private boolean answered;
    private long lastAnswerNanos;

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

    private final HeartbeatWire wire;

    HeartbeatHandler(Ticker ticker, Duration heartbeat, Duration checkInterval, GateMetrics metrics) {
        this(ticker, heartbeat, checkInterval, metrics, POMELO);
    }

    HeartbeatHandler(Ticker ticker, Duration heartbeat, Duration checkInterval, GateMetrics metrics,
                     HeartbeatWire wire) {
        this.wire = wire;
        this.ticker = ticker;
        this.heartbeatTimeoutNanos = heartbeat.toNanos() * 2;
        this.minAnswerGapNanos = heartbeat.toNanos() - heartbeat.toNanos() / TIMER_SLACK_DIVISOR;
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
        Object answer = wire.answerTo(msg);
        if (answer != null) {
            ReferenceCountUtil.release(msg);
            if (established) {
                answer(ctx, answer);
            } else {
                ReferenceCountUtil.release(answer);
            }
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void answer(ChannelHandlerContext ctx, Object answer) {
        long now = ticker.nanoTime();
        if ((answered && now - lastAnswerNanos < minAnswerGapNanos) || !ctx.channel().isWritable()) {
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
            Object first = wire.first();
            if (first != null) {
                ctx.writeAndFlush(first);
            }
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
            // Silence is a drop (the network went away), not a goodbye: the session may be resumed.
            CloseReason.setDropped(ctx.channel(), KickReasons.HEARTBEAT_TIMEOUT);
            Kicks.kick(ctx.channel(), KickCode.HEARTBEAT_TIMEOUT, KickReasons.HEARTBEAT_TIMEOUT, metrics);
        }
    }
}
