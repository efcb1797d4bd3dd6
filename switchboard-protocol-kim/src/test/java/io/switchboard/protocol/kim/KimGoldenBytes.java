package io.switchboard.protocol.kim;

import java.util.HexFormat;

/**
 * Byte vectors written out by hand from KIM's Go code (see package-info): what its client and gateway put on the
 * wire. The protobuf header is proto3: fields at their default (flag Request, status Success) are not written.
 */
public final class KimGoldenBytes {
    /** {@code pkt.Marshal(&pkt.BasicPkt{Code: pkt.CodePing})}: magic, code 1, length 0 (both u16 little-endian). */
    public static final byte[] PING = hex("c315a765 0100 0000");
    public static final byte[] PONG = hex("c315a765 0200 0000");
    /** A LoginReq body {@code token: "t"}: field 1, length 1, 't'. */
    public static final byte[] LOGIN_BODY = hex("0a0174");
    /**
     * {@code pkt.Marshal(pkt.New("login.signin", pkt.WithSeq(1)).WriteBody(&pkt.LoginReq{Token: "t"}))}: magic,
     * header length 16 (u32 LE), Header {command (field 1, 12 bytes) "login.signin", sequence (field 3) 1}, body
     * length 3 (u32 LE), body.
     */
    public static final byte[] LOGIN_SIGNIN_SEQ_1 = hex("c311a365 10000000 0a0c 6c6f67696e2e7369676e696e 1801"
            + " 03000000 0a0174");
    /** The gateway's answer to it: the same header plus flag (field 4) Response, status Success omitted; no body. */
    public static final byte[] LOGIN_RESPONSE_SEQ_1 = hex("c311a365 12000000 0a0c 6c6f67696e2e7369676e696e 1801"
            + " 2001 00000000");
    /** A push of "onChat" (flag Push = 2) with body {@code {}}. */
    public static final byte[] PUSH_ON_CHAT = hex("c311a365 0a000000 0a06 6f6e43686174 2002 02000000 7b7d");
    /** {@code tcp.WriteFrame(w, kim.OpBinary, pkt.Marshal(ping))}: opcode 2, payload length 8 (u32 LE), payload. */
    public static final byte[] TCP_FRAME_PING = hex("02 08000000 c315a765 0100 0000");
    /** {@code c.conn.WriteFrame(kim.OpPing, nil)}: the TCP client's own heartbeat frame. */
    public static final byte[] TCP_OP_PING = hex("09 00000000");
    public static final byte[] TCP_OP_PONG = hex("0a 00000000");

    private KimGoldenBytes() {
    }

    public static byte[] hex(String spaced) {
        return HexFormat.of().parseHex(spaced.replace(" ", ""));
    }

    /** {@code payload} in a KIM TCP binary frame. */
    public static byte[] tcpFrame(byte[] payload) {
        byte[] frame = new byte[KimLayout.FRAME_PAYLOAD_OFFSET + payload.length];
        frame[0] = (byte) KimOpCode.BINARY.code();
        frame[1] = (byte) payload.length;
        frame[2] = (byte) (payload.length >>> 8);
        frame[3] = (byte) (payload.length >>> 16);
        frame[4] = (byte) (payload.length >>> 24);
        System.arraycopy(payload, 0, frame, KimLayout.FRAME_PAYLOAD_OFFSET, payload.length);
        return frame;
    }
}
