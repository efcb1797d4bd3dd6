package io.switchboard.protocol;

/** The message types carried in bits 1–3 of a message's flag byte. */
public enum MessageType {
    REQUEST(0, true, true),
    NOTIFY(1, false, true),
    RESPONSE(2, true, false),
    PUSH(3, false, true);

    private static final MessageType[] BY_CODE = values();

    private final int code;
    private final boolean hasId;
    private final boolean hasRoute;

    MessageType(int code, boolean hasId, boolean hasRoute) {
        this.code = code;
        this.hasId = hasId;
        this.hasRoute = hasRoute;
    }

    public int code() {
        return code;
    }

    /** Requests and responses carry a message id. */
    public boolean hasId() {
        return hasId;
    }

    /** Requests, notifies and pushes carry a route. */
    public boolean hasRoute() {
        return hasRoute;
    }

    /** The type for a 3-bit code, or {@code null} for codes 4–7, which no Pomelo peer sends. */
    public static MessageType fromCode(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
