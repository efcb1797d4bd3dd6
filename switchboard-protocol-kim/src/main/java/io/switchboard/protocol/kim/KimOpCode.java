package io.switchboard.protocol.kim;

/**
 * The opcode of a KIM TCP frame (KIM reuses WebSocket's). The frame decoder passes {@link #PING} and {@link #CLOSE}
 * on as messages; the frame encoder writes {@link #PONG} as an empty frame.
 */
public enum KimOpCode {
    CONTINUATION(0x0), TEXT(0x1), BINARY(0x2), CLOSE(0x8), PING(0x9), PONG(0xa);

    private final int code;

    KimOpCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The opcode with this code, or {@code null}. */
    public static KimOpCode fromCode(int code) {
        for (KimOpCode op : values()) {
            if (op.code == code) {
                return op;
            }
        }
        return null;
    }
}
