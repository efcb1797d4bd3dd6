package io.switchboard.protocol;

/** The five package types of the Pomelo protocol; any other type byte closes the connection. */
public enum PackageType {
    HANDSHAKE(1),
    HANDSHAKE_ACK(2),
    HEARTBEAT(3),
    DATA(4),
    KICK(5);

    private static final PackageType[] BY_CODE = new PackageType[6];

    static {
        for (PackageType type : values()) {
            BY_CODE[type.code] = type;
        }
    }

    private final int code;

    PackageType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    public int code() {
        return code;
    }

    /** The type for a wire byte, or {@code null} when the byte is no package type. */
    public static PackageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
