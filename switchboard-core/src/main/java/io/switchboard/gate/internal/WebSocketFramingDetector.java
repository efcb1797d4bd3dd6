package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.domi.DomiFrameLayout;
import io.switchboard.protocol.kim.KimLayout;

/**
 * Tells the framing of a WebSocket connection by the first byte of its first non-empty binary frame, as the
 * {@link TransportDetector} does for raw TCP: 0 starts a DOMI frame, a KIM magic a KIM packet, anything else goes
 * to the Pomelo decoder (which refuses what is not a package). It installs that framing's handlers after itself, leaves, and hands the bytes on.
 */
final class WebSocketFramingDetector extends ChannelInboundHandlerAdapter {
    private final GateChannelInitializer initializer;
    private final HandshakeInfo.Transport transport;

    WebSocketFramingDetector(GateChannelInitializer initializer, HandshakeInfo.Transport transport) {
        this.initializer = initializer;
        this.transport = transport;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!bytes.isReadable()) {
            bytes.release();
            return;
        }
        ClientProtocol protocol;
        if (DomiFrameLayout.startsFrame(bytes.getUnsignedByte(bytes.readerIndex()))) {
            protocol = ClientProtocol.DOMI;
        } else if (KimLayout.isMagic(bytes, bytes.readerIndex())) {
            protocol = ClientProtocol.KIM;
        } else {
            protocol = ClientProtocol.POMELO;
        }
        initializer.addFraming(ctx.pipeline(), transport, protocol);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(bytes);
    }
}
