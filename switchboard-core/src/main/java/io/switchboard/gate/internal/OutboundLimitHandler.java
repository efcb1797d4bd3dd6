package io.switchboard.gate.internal;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.switchboard.gate.KickCode;
import io.switchboard.gate.KickReasons;
import io.switchboard.metrics.GateMetrics;

/**
 * Disconnects a client that stops reading instead of buffering for it forever. Netty's write-buffer water
 * marks make the channel unwritable above the high mark; once the bytes waiting exceed
 * {@code maxPendingBytes} the connection is closed as a slow reader.
 */
@ChannelHandler.Sharable
final class OutboundLimitHandler extends ChannelOutboundHandlerAdapter {
    private final int lowWaterMark;
    private final int maxPendingBytes;
    private final GateMetrics metrics;

    OutboundLimitHandler(int lowWaterMark, int maxPendingBytes, GateMetrics metrics) {
        this.lowWaterMark = lowWaterMark;
        this.maxPendingBytes = maxPendingBytes;
        this.metrics = metrics;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
        Channel channel = ctx.channel();
        // Unwritable means pending > high; pending is then bytesBeforeWritable() above the low mark.
        if (!channel.isWritable() && channel.bytesBeforeWritable() + lowWaterMark > maxPendingBytes) {
            Kicks.close(channel, KickCode.SLOW_READER, KickReasons.SLOW_READER, metrics);
        }
    }
}
