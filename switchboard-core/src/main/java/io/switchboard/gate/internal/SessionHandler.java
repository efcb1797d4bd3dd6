package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloProtocolException;

/**
 * Hands the requests and notifies of an established session to the {@link io.switchboard.gate.MessageListener}.
 * A client has no business sending responses or pushes; one that does is closed.
 */
@ChannelHandler.Sharable
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private final GateContext gate;

    SessionHandler(GateContext gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof PomeloMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (message.type() != MessageType.REQUEST && message.type() != MessageType.NOTIFY) {
            message.release();
            throw new PomeloProtocolException("clients may not send " + message.type() + " messages");
        }
        gate.metrics().messageIn();
        gate.messageListener().receive(DefaultSession.of(ctx.channel()), message);
    }
}
