package io.switchboard.protocol.kim;

import io.netty.buffer.ByteBuf;

/** Where each field of KIM's packets and TCP frames sits, and the magics that open a packet. */
public final class KimLayout {
    public static final int MAGIC_OFFSET = 0;
    public static final int MAGIC_LENGTH = 4;
    /** {@code c3 11 a3 65}: a logic packet; read as a big-endian int since it is four bytes in a row. */
    public static final int LOGIC_MAGIC = 0xc311a365;
    /** {@code c3 15 a7 65}: a basic packet (ping, pong). */
    public static final int BASIC_MAGIC = 0xc315a765;
    /** The byte every KIM packet starts with. */
    public static final int MAGIC_FIRST_BYTE = 0xc3;

    /** Logic packet: the header's length, then the header; the body's length follows the header. */
    public static final int LOGIC_HEADER_LENGTH_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    public static final int LOGIC_HEADER_OFFSET = LOGIC_HEADER_LENGTH_OFFSET + 4;
    /** The bytes of a logic packet that are neither header nor body: magic and two lengths. */
    public static final int LOGIC_OVERHEAD = LOGIC_HEADER_OFFSET + 4;

    /** Basic packet: code, body length (both u16), body. */
    public static final int BASIC_CODE_OFFSET = MAGIC_OFFSET + MAGIC_LENGTH;
    public static final int BASIC_LENGTH_OFFSET = BASIC_CODE_OFFSET + 2;
    public static final int BASIC_BODY_OFFSET = BASIC_LENGTH_OFFSET + 2;

    /** TCP frame: opcode, payload length (u32), payload. */
    public static final int FRAME_OPCODE_OFFSET = 0;
    public static final int FRAME_LENGTH_OFFSET = FRAME_OPCODE_OFFSET + 1;
    public static final int FRAME_PAYLOAD_OFFSET = FRAME_LENGTH_OFFSET + 4;
    /** What a server must read to know a TCP connection speaks KIM: a binary frame's header and its packet's magic. */
    public static final int TCP_PROBE_LENGTH = FRAME_PAYLOAD_OFFSET + MAGIC_LENGTH;

    private KimLayout() {
    }

    /** Whether the four bytes at {@code index} are one of KIM's magics. */
    public static boolean isMagic(ByteBuf buf, int index) {
        if (buf.writerIndex() - index < MAGIC_LENGTH) {
            return false;
        }
        int magic = buf.getInt(index);
        return magic == LOGIC_MAGIC || magic == BASIC_MAGIC;
    }

    /**
     * Whether the first {@link #TCP_PROBE_LENGTH} readable bytes open a KIM TCP stream: a binary frame whose payload
     * starts with a magic (KIM's client sends its {@code login.signin} that way first). Needs that many bytes.
     */
    public static boolean opensTcpStream(ByteBuf in) {
        int at = in.readerIndex();
        return in.readableBytes() >= TCP_PROBE_LENGTH
                && in.getUnsignedByte(at + FRAME_OPCODE_OFFSET) == KimOpCode.BINARY.code()
                && isMagic(in, at + FRAME_PAYLOAD_OFFSET);
    }
}
