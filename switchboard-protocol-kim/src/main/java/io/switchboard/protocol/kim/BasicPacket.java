package io.switchboard.protocol.kim;

import java.util.Arrays;

/** KIM's basic packet ({@code wire/pkt/basic_pkt.go}): a code and a short body; code 1 is a ping, 2 a pong. */
public record BasicPacket(int code, byte[] body) {
    public static final int CODE_PING = 1;
    public static final int CODE_PONG = 2;
    public static final BasicPacket PING = new BasicPacket(CODE_PING, new byte[0]);
    public static final BasicPacket PONG = new BasicPacket(CODE_PONG, new byte[0]);
    /** The body length is a {@code uint16}. */
    public static final int MAX_BODY_LENGTH = 0xffff;

    public BasicPacket {
        if (code < 0 || code > 0xffff) {
            throw new IllegalArgumentException("a basic packet's code is a uint16: " + code);
        }
        if (body.length > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("a basic packet's body is at most 65535 bytes: " + body.length);
        }
    }

    public boolean isPing() {
        return code == CODE_PING;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BasicPacket other && code == other.code && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * code + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        return "BasicPacket(" + code + ", " + body.length + "B)";
    }
}
