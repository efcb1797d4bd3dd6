package io.switchboard.client;

import io.switchboard.protocol.HandshakeResponse;

import java.io.IOException;

/**
 * The server answered the handshake with a code other than 200: 500 for a bad handshake, 501 when it refuses
 * this client's version (Pomelo's codes).
 */
public class HandshakeRefusedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;

    public HandshakeRefusedException(int code) {
        super("handshake refused with code " + code + describe(code));
        this.code = code;
    }

    /** The code the server answered with. */
    public int code() {
        return code;
    }

    private static String describe(int code) {
        return switch (code) {
            case HandshakeResponse.CODE_BAD_HANDSHAKE -> " (bad handshake)";
            case HandshakeResponse.CODE_OLD_CLIENT -> " (client version refused)";
            default -> "";
        };
    }
}
