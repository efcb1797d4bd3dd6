package io.switchboard.gate.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.switchboard.gate.ClientProtocol;
import io.switchboard.gate.HandshakeInfo;
import io.switchboard.protocol.PackageType;
import io.switchboard.protocol.PomeloProtocolException;
import io.switchboard.protocol.domi.DomiFrameLayout;
import io.switchboard.protocol.kim.KimLayout;
import io.switchboard.protocol.kim.KimOpCode;

import java.util.List;

/**
 * Tells raw TCP from WebSocket by the first byte: a Pomelo package starts with its type (1–5), a DOMI frame with
 * 0 (the top byte of its big-endian length), an HTTP request with an upper-case method name, KIM (seed 002) with a
 * binary frame {@code 02} whose payload starts with a KIM magic (nine bytes decide it). Anything else is none of them
 * and is closed. Over WebSocket the framing is told later, by the first binary frame
 * ({@link WebSocketFramingDetector}). Bytes already read are
 * handed on to the handlers it installs when it removes itself.
 */
final class TransportDetector extends ByteToMessageDecoder {
    private final GateChannelInitializer initializer;

    TransportDetector(GateChannelInitializer initializer) {
        this.initializer = initializer;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!in.isReadable()) {
            return;
        }
        int first = in.getUnsignedByte(in.readerIndex());
        if (first == KimOpCode.BINARY.code()) {
            // Pomelo's handshake-ack type, or a KIM client's first binary frame: its packet's magic tells.
            if (in.readableBytes() < KimLayout.TCP_PROBE_LENGTH) {
                return;
            }
            if (KimLayout.opensTcpStream(in)) {
                initializer.addKimHandlers(ctx.pipeline());
                ctx.pipeline().remove(this);
                return;
            }
        }
        HandshakeInfo.Transport transport;
        ClientProtocol protocol = null;
        if (PackageType.fromCode(first) != null) {
            transport = HandshakeInfo.Transport.TCP;
            protocol = ClientProtocol.POMELO;
        } else if (DomiFrameLayout.startsFrame(first)) {
            transport = HandshakeInfo.Transport.TCP;
            protocol = ClientProtocol.DOMI;
        } else if (first >= 'A' && first <= 'Z') {
            transport = HandshakeInfo.Transport.WEBSOCKET;
        } else {
            in.skipBytes(in.readableBytes());
            throw new PomeloProtocolException("unknown protocol (first byte " + first + ")");
        }
        initializer.addHandlers(ctx.pipeline(), transport, protocol);
        ctx.pipeline().remove(this);
    }
}
