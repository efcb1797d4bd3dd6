package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

import java.util.List;

/**
 * Turns each buffer that holds one whole KIM packet (a TCP frame's payload from {@link KimFrameDecoder}, or a binary
 * WebSocket frame's) into a {@link LogicPacket} or a {@link BasicPacket}; other messages pass.
 */
public final class KimPacketDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final int maxHeaderLength;
    private final int maxBodyLength;

    public KimPacketDecoder(int maxHeaderLength, int maxBodyLength) {
        super(ByteBuf.class);
        this.maxHeaderLength = maxHeaderLength;
        this.maxBodyLength = maxBodyLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf msg, List<Object> out) {
        out.add(KimPacketCodec.decode(msg, maxHeaderLength, maxBodyLength));
    }

    /** The largest packet these caps let through: a frame cap for the transport below. */
    public static int maxPacketLength(int maxHeaderLength, int maxBodyLength) {
        return KimLayout.LOGIC_OVERHEAD + maxHeaderLength + maxBodyLength;
    }
}
