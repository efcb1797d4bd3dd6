package io.switchboard.gate;

import com.fasterxml.jackson.databind.JsonNode;
import io.switchboard.protocol.HandshakeResponse;

/**
 * An {@link Acceptor}'s verdict: accept (optionally binding a user id and returning a {@code user} JSON to
 * the client), or refuse with handshake code 500 (bad handshake) or 501 (client version refused).
 */
public final class Acceptance {
    private static final Acceptance ACCEPT = new Acceptance(HandshakeResponse.CODE_OK, null, null);

    private final int code;
    private final String userId;
    private final JsonNode user;

    private Acceptance(int code, String userId, JsonNode user) {
        this.code = code;
        this.userId = userId;
        this.user = user;
    }

    public static Acceptance accept() {
        return ACCEPT;
    }

    /** Accepts and binds the session to {@code userId} at once (for token authentication in the handshake). */
    public static Acceptance accept(String userId) {
        return new Acceptance(HandshakeResponse.CODE_OK, userId, null);
    }

    /** Accepts, binds {@code userId} (may be null) and answers with {@code user} in the handshake response. */
    public static Acceptance accept(String userId, JsonNode user) {
        return new Acceptance(HandshakeResponse.CODE_OK, userId, user);
    }

    public static Acceptance refuse(int code) {
        if (code != HandshakeResponse.CODE_BAD_HANDSHAKE && code != HandshakeResponse.CODE_OLD_CLIENT) {
            throw new IllegalArgumentException("handshake refusals are 500 or 501, not " + code);
        }
        return new Acceptance(code, null, null);
    }

    public boolean accepted() {
        return code == HandshakeResponse.CODE_OK;
    }

    public int code() {
        return code;
    }

    public String userId() {
        return userId;
    }

    public JsonNode user() {
        return user;
    }
}
