package io.switchboard.gate.internal;

import io.switchboard.gate.OtherGates;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Resume tokens: {@code [<gate number>:]<session id>.<128 random bits, base64url>}. The gate number (cluster mode)
 * tells which gate holds the session; the id finds the session there; the secret proves the holder got it from the
 * gate's last handshake answer for that session, and is compared in constant time. A session gets a new secret at
 * every handshake, so a token resumes once.
 */
final class ResumeTokens {
    /** 128 bits: unguessable. */
    static final int SECRET_BYTES = 16;
    /** A session id in decimal (19 digits at most), the dot and the encoded secret, with room to spare. */
    private static final int MAX_TOKEN_LENGTH = 80;
    private static final char SEPARATOR = '.';
    private static final char GATE_SEPARATOR = ':';
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();

    /** A token's parts. */
    record Token(int gate, long sessionId, byte[] secret) {
    }

    byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    /** A token of gate {@code gate} ({@link OtherGates#NO_NUMBER}: none named). */
    static String format(int gate, long sessionId, byte[] secret) {
        String id = Long.toString(sessionId) + SEPARATOR + ENCODER.encodeToString(secret);
        return gate == OtherGates.NO_NUMBER ? id : Integer.toString(gate) + GATE_SEPARATOR + id;
    }

    /** The parts of {@code text}, or {@code null} when it is not a token of this form. */
    static Token parse(String text) {
        if (text == null || text.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int dot = text.indexOf(SEPARATOR);
        int colon = text.indexOf(GATE_SEPARATOR);
        if (dot <= 0 || colon == 0 || colon > dot) {
            return null;
        }
        try {
            int gate = colon < 0 ? OtherGates.NO_NUMBER : Integer.parseInt(text, 0, colon, 10);
            long id = Long.parseLong(text, colon + 1, dot, 10);
            byte[] secret = DECODER.decode(text.substring(dot + 1));
            return secret.length == SECRET_BYTES && id > 0 && (gate >= 0 || colon < 0)
                    ? new Token(gate, id, secret) : null;
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }

    /** Whether two secrets are equal, in time that does not depend on where they differ. */
    static boolean matches(byte[] expected, byte[] presented) {
        return expected != null && MessageDigest.isEqual(expected, presented);
    }
}
