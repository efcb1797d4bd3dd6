package io.switchboard.protocol.websocket;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * Binary WebSocket frames already written as bytes, header and payload each, as a server sends them (unmasked):
 * a writer with several packages for one connection frames them into one buffer instead of a frame object and a
 * buffer each. {@link BinaryFrameEncoder} passes them on as they are. Still one package per frame.
 */
public final class EncodedBinaryFrames extends DefaultByteBufHolder {
    /** FIN set, no extension bits, opcode 2 (binary): a whole binary message in one frame. */
    static final int FIN_BINARY = 0x82;
    /** The largest payload whose length fits in the 7 bits of the second byte. */
    static final int MAX_SHORT_LENGTH = 125;
    /** The 7-bit length that says a 16-bit length follows. */
    static final int LENGTH_16 = 126;
    /** The 7-bit length that says a 64-bit length follows. */
    static final int LENGTH_64 = 127;
    /** The second byte's 7 length bits (its high bit, the mask flag, is clear in a server's frames). */
    private static final int LENGTH_MASK = 0x7F;
    private static final int MAX_16 = 0xFFFF;
    private static final int FIRST_BYTES = 2;

    public EncodedBinaryFrames(ByteBuf frames) {
        super(frames);
    }

    /** The header's length for a payload of {@code payloadLength} bytes (the shortest form, as RFC 6455 asks). */
    public static int headerLength(int payloadLength) {
        if (payloadLength <= MAX_SHORT_LENGTH) {
            return FIRST_BYTES;
        }
        return payloadLength <= MAX_16 ? FIRST_BYTES + Short.BYTES : FIRST_BYTES + Long.BYTES;
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
        int length = frames.getUnsignedByte(frameStart + 1) & LENGTH_MASK;
        int extended = length == LENGTH_16 ? Short.BYTES : length == LENGTH_64 ? Long.BYTES : 0;
        return frameStart + FIRST_BYTES + extended;
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
