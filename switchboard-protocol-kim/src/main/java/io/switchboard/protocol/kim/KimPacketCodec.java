package io.switchboard.protocol.kim;

import com.google.protobuf.InvalidProtocolBufferException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.switchboard.protocol.kim.proto.Header;

import static io.switchboard.protocol.kim.KimLayout.BASIC_BODY_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.BASIC_CODE_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.BASIC_LENGTH_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.BASIC_MAGIC;
import static io.switchboard.protocol.kim.KimLayout.LOGIC_HEADER_LENGTH_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.LOGIC_HEADER_OFFSET;
import static io.switchboard.protocol.kim.KimLayout.LOGIC_MAGIC;
import static io.switchboard.protocol.kim.KimLayout.LOGIC_OVERHEAD;
import static io.switchboard.protocol.kim.KimLayout.MAGIC_LENGTH;
import static io.switchboard.protocol.kim.KimLayout.MAGIC_OFFSET;

/**
 * Reads and writes one KIM packet, magic included, in a buffer that holds exactly that packet (a TCP frame's payload
 * or a WebSocket frame's). Lengths are checked against the caps before anything is copied.
 */
public final class KimPacketCodec {
    private KimPacketCodec() {
    }

    /**
     * Decodes the packet in {@code buf}'s readable bytes into a {@link LogicPacket} or a {@link BasicPacket};
     * {@code buf} is not released.
     */
    public static Object decode(ByteBuf buf, int maxHeaderLength, int maxBodyLength) {
        int at = buf.readerIndex();
        int length = buf.readableBytes();
        if (length < MAGIC_LENGTH) {
            throw new KimProtocolException("KIM packet of " + length + " bytes has no magic");
        }
        int magic = buf.getInt(at + MAGIC_OFFSET);
        if (magic == LOGIC_MAGIC) {
            return decodeLogic(buf, at, length, maxHeaderLength, maxBodyLength);
        }
        if (magic == BASIC_MAGIC) {
            return decodeBasic(buf, at, length);
        }
        throw new KimProtocolException(String.format("bad KIM magic %08x", magic));
    }

    private static LogicPacket decodeLogic(ByteBuf buf, int at, int length, int maxHeader, int maxBody) {
        long headerLength = readLength(buf, at, length, LOGIC_HEADER_LENGTH_OFFSET, "header", maxHeader);
        int bodyLengthOffset = LOGIC_HEADER_OFFSET + (int) headerLength;
        long bodyLength = readLength(buf, at, length, bodyLengthOffset, "body", maxBody);
        int bodyOffset = bodyLengthOffset + 4;
        if (bodyOffset + bodyLength != length) {
            throw new KimProtocolException("KIM logic packet of " + length + " bytes declares "
                    + (bodyOffset + bodyLength));
        }
        Header header;
        try {
            header = Header.parseFrom(buf.nioBuffer(at + LOGIC_HEADER_OFFSET, (int) headerLength));
        } catch (InvalidProtocolBufferException e) {
            throw new KimProtocolException("KIM header is not a valid protobuf Header", e);
        }
        byte[] body = ByteBufUtil.getBytes(buf, at + bodyOffset, (int) bodyLength);
        return new LogicPacket(header, body);
    }

    /** The u32 length at {@code offset}, checked against its cap and against the bytes that are there. */
    private static long readLength(ByteBuf buf, int at, int length, int offset, String what, int max) {
        if (length < offset + 4) {
            throw new KimProtocolException("KIM logic packet of " + length + " bytes ends before its " + what
                    + " length");
        }
        long value = buf.getUnsignedIntLE(at + offset);
        if (value > max) {
            throw new KimTooLargeException(what, value, max);
        }
        if (offset + 4 + value > length) {
            throw new KimProtocolException("KIM " + what + " of " + value + " bytes overruns its packet");
        }
        return value;
    }

    private static BasicPacket decodeBasic(ByteBuf buf, int at, int length) {
        if (length < BASIC_BODY_OFFSET) {
            throw new KimProtocolException("KIM basic packet of " + length + " bytes is shorter than its header");
        }
        int code = buf.getUnsignedShortLE(at + BASIC_CODE_OFFSET);
        int bodyLength = buf.getUnsignedShortLE(at + BASIC_LENGTH_OFFSET);
        if (BASIC_BODY_OFFSET + bodyLength != length) {
            throw new KimProtocolException("KIM basic packet of " + length + " bytes declares "
                    + (BASIC_BODY_OFFSET + bodyLength));
        }
        return new BasicPacket(code, ByteBufUtil.getBytes(buf, at + BASIC_BODY_OFFSET, bodyLength));
    }

    /** Encodes a {@link LogicPacket} or a {@link BasicPacket} with its magic. */
    public static ByteBuf encode(ByteBufAllocator alloc, Object packet) {
        if (packet instanceof LogicPacket logic) {
            return encodeLogic(alloc, logic.header(), logic.body());
        }
        if (packet instanceof BasicPacket basic) {
            ByteBuf buf = alloc.buffer(BASIC_BODY_OFFSET + basic.body().length);
            buf.writeInt(BASIC_MAGIC);
            buf.writeShortLE(basic.code());
            buf.writeShortLE(basic.body().length);
            buf.writeBytes(basic.body());
            return buf;
        }
        throw new IllegalArgumentException("not a KIM packet: " + packet);
    }

    /** Encodes a logic packet from its parts (lets a fan-out encode a push once without building a value). */
    public static ByteBuf encodeLogic(ByteBufAllocator alloc, Header header, byte[] body) {
        byte[] headerBytes = header.toByteArray();
        ByteBuf buf = alloc.buffer(LOGIC_OVERHEAD + headerBytes.length + body.length);
        buf.writeInt(LOGIC_MAGIC);
        buf.writeIntLE(headerBytes.length);
        buf.writeBytes(headerBytes);
        buf.writeIntLE(body.length);
        buf.writeBytes(body);
        return buf;
    }
}
