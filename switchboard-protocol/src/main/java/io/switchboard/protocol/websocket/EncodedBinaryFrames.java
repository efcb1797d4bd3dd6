package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

import static io.switchboard.protocol.websocket.WebSocketFrameLayout.EXTENDED_LENGTH_OFFSET;
import static io.switchboard.protocol.websocket.WebSocketFrameLayout.LENGTH_16;
import static io.switchboard.protocol.websocket.WebSocketFrameLayout.LENGTH_64;
import static io.switchboard.protocol.websocket.WebSocketFrameLayout.MAX_SHORT_LENGTH;

/**
 * Binary WebSocket frames already written as bytes, header and payload each, as a server sends them (unmasked):
 * a writer with several packages for one connection frames them into one buffer instead of a frame object and a
 * buffer each. {@link BinaryFrameEncoder} passes them on as they are. Still one package per frame.
 */
public final class EncodedBinaryFrames extends DefaultByteBufHolder {
    /** FIN set, no extension bits, opcode 2 (binary): a whole binary message in one frame. */
    static final int FIN_BINARY = 0x82;
    private static final int MAX_16 = 0xFFFF;

    public EncodedBinaryFrames(ByteBuf frames) {
        super(frames);
    }

    /** The header's length for a payload of {@code payloadLength} bytes (the shortest form, as RFC 6455 asks). */
    public static int headerLength(int payloadLength) {
        if (payloadLength <= MAX_SHORT_LENGTH) {
            return EXTENDED_LENGTH_OFFSET;
        }
        return EXTENDED_LENGTH_OFFSET + (payloadLength <= MAX_16 ? Short.BYTES : Long.BYTES);
    }

    /** A whole frame's length, header and payload, for a payload of {@code payloadLength} bytes. */
    public static int frameLength(int payloadLength) {
        return headerLength(payloadLength) + payloadLength;
    }

    /** Writes {@code payload} (not consumed) to {@code out} as one unmasked binary frame, header and all. */
    public static void writeFrame(ByteBuf out, ByteBuf payload) {
        int length = payload.readableBytes();
        writeHeader(out, length);
        out.writeBytes(payload, payload.readerIndex(), length);
    }

    /** Writes the header of an unmasked binary frame whose payload of {@code payloadLength} bytes follows. */
    public static void writeHeader(ByteBuf out, int payloadLength) {
        out.writeByte(FIN_BINARY);
        if (payloadLength <= MAX_SHORT_LENGTH) {
            out.writeByte(payloadLength);
        } else if (payloadLength <= MAX_16) {
            out.writeByte(LENGTH_16);
            out.writeShort(payloadLength);
        } else {
            out.writeByte(LENGTH_64);
            out.writeLong(payloadLength);
        }
    }

    /**
     * Where the payload of the frame at {@code frameStart} of {@code frames} begins, from its header's length byte
     * (the frames a server writes are unmasked).
     */
    public static int payloadStart(ByteBuf frames, int frameStart) {
        return frameStart + WebSocketFrameLayout.headerLength(frames, frameStart);
    }

    @Override
    public EncodedBinaryFrames replace(ByteBuf content) {
        return new EncodedBinaryFrames(content);
    }

    @Override
    public String toString() {
        return "EncodedBinaryFrames(" + content().readableBytes() + "B)";
    }
}
