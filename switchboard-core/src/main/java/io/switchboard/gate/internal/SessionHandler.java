package io.switchboard.gate.internal;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.gate.KickReasons;
import io.switchboard.protocol.MessageType;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloMessage;
import io.switchboard.protocol.PomeloPackage;
import io.switchboard.protocol.PomeloProtocolException;

/**
 * Hands the requests and notifies of an established session to the {@link io.switchboard.gate.MessageListener}.
 * A client has no business sending responses or pushes, or a second handshake; one that does is closed.
 */
@ChannelHandler.Sharable
final class SessionHandler extends ChannelInboundHandlerAdapter {
    private final GateContext gate;

    SessionHandler(GateContext gate) {
        this.gate = gate;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof PomeloPackage pkg) {
            afterHandshake(pkg);
            return;
        }
        if (!(msg instanceof PomeloMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!ctx.channel().isActive()) {
            // The decoder goes on with a buffer after a kick closed the connection: what follows the bad input is
            // not the app's to handle.
            message.release();
            return;
        }
        if (message.type() != MessageType.REQUEST && message.type() != MessageType.NOTIFY) {
            message.release();
            throw new PomeloProtocolException("clients may not send " + message.type() + " messages");
        }
        gate.metrics().messageIn();
        gate.messageListener().receive(DefaultSession.of(ctx.channel()), message);
    }

    /**
     * A package that reaches an established session (the handshake handler has left the pipeline): a late ack is
     * harmless, anything else closes the connection.
     */
    private static void afterHandshake(PomeloPackage pkg) {
        PackageType type = pkg.type();
        pkg.release();
        switch (type) {
            case HANDSHAKE_ACK -> { }
            case HANDSHAKE -> throw new PomeloProtocolException(KickReasons.DUPLICATE_HANDSHAKE);
            default -> throw new PomeloProtocolException(KickReasons.UNEXPECTED_PACKAGE + ": " + type);
        }
    }
}
