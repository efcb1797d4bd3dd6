package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.util.List;

import static io.switchboard.protocol.kim.KimLayout.FRAME_LENGTH_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.FRAME_OPCODE_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.FRAME_PAYLOAD_OFFSET;

/**
 * Splits a KIM TCP stream into its frames ({@code tcp/connection.go}: opcode, u32 little-endian length, payload): a
 * binary frame's payload goes on as a buffer (one packet, for {@link KimPacketDecoder}); ping and close frames as
 * {@link KimOpCode#PING} and {@link KimOpCode#CLOSE}; a pong is dropped. Text and continuation frames are not KIM's
 * and end the connection, as does a frame over the cap, refused from its length alone. Until {@link #loggedIn()} the
 * cap is the login's ({@link KimLoginTooLargeException}): a client that has not said who it is gets no more buffered
 * than a login needs, whatever frames it sends first.
 */
public final class KimFrameDecoder extends ByteToMessageDecoder {
    private final int maxPayloadLength;
    private final int maxLoginPayloadLength;
    private boolean beforeLogin;

    /** A decoder with one cap for every frame (a client's, reading the server's frames). */
    public KimFrameDecoder(int maxPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
        this.maxLoginPayloadLength = maxPayloadLength;
    }

    /**
     * @param maxPayloadLength      a frame's cap once the client has logged in
     * @param maxLoginPayloadLength a frame's cap until then (never above the other)
     */
    public KimFrameDecoder(int maxPayloadLength, int maxLoginPayloadLength) {
        this.maxPayloadLength = maxPayloadLength;
        this.maxLoginPayloadLength = Math.min(maxLoginPayloadLength, maxPayloadLength);
        this.beforeLogin = true;
    }

    /** The client has logged in: frames may be as long as the frame cap. */
    public void loggedIn() {
        beforeLogin = false;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < FRAME_PAYLOAD_OFFSET) {
            return;
        }
        int at = in.readerIndex();
        int code = in.getUnsignedByte(at + FRAME_OPCODE_OFFSET);
        KimOpCode op = KimOpCode.fromCode(code);
        if (op == null || op == KimOpCode.TEXT || op == KimOpCode.CONTINUATION) {
            in.skipBytes(in.readableBytes());
            throw new KimProtocolException("bad KIM frame opcode " + code);
        }
        long length = in.getUnsignedIntLE(at + FRAME_LENGTH_OFFSET);
        if (length > (beforeLogin ? maxLoginPayloadLength : maxPayloadLength)) {
            in.skipBytes(in.readableBytes());
            throw beforeLogin ? new KimLoginTooLargeException(length, maxLoginPayloadLength)
                    : new KimTooLargeException("frame", length, maxPayloadLength);
        }
        if (in.readableBytes() < FRAME_PAYLOAD_OFFSET + length) {
            return;
        }
        in.skipBytes(FRAME_PAYLOAD_OFFSET);
        switch (op) {
            case BINARY -> out.add(in.readRetainedSlice((int) length));
            case PING, CLOSE -> {
                in.skipBytes((int) length);
                out.add(op);
            }
            default -> in.skipBytes((int) length); // a pong: nothing to do
        }
    }
}
