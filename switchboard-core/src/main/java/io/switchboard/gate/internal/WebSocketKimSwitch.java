package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.protocol.kim.KimLayout;

/**
 * Decides, from a WebSocket client's first binary frame, whether it speaks KIM (the frame starts with a KIM magic)
 * or Pomelo (anything else: the Pomelo handlers are already in place), then leaves the pipeline.
 */
final class WebSocketKimSwitch extends ChannelInboundHandlerAdapter {
    private final GateChannelInitializer initializer;

    WebSocketKimSwitch(GateChannelInitializer initializer) {
        this.initializer = initializer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf frame) {
            if (KimLayout.isMagic(frame, frame.readerIndex())) {
                initializer.switchToKim(ctx.pipeline());
            }
            ctx.pipeline().remove(this);
        }
        ctx.fireChannelRead(msg);
    }
}
