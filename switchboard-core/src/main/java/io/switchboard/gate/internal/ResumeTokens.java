package io.switchboard.gate.internal;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Resume tokens: {@code <session id>.<128 random bits, base64url>}. The id finds the session; the secret proves the
 * holder got it from the gate's last handshake answer for that session, and is compared in constant time. A session
 * gets a new secret at every handshake, so a token resumes once.
 */
final class ResumeTokens {
    /** 128 bits: unguessable. */
    static final int SECRET_BYTES = 16;
    /** A session id in decimal (19 digits at most), the dot and the encoded secret, with room to spare. */
    private static final int MAX_TOKEN_LENGTH = 64;
    private static final char SEPARATOR = '.';
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final SecureRandom random = new SecureRandom();

    /** A token's parts. */
    record Token(long sessionId, byte[] secret) {
    }

    byte[] newSecret() {
        byte[] secret = new byte[SECRET_BYTES];
        random.nextBytes(secret);
        return secret;
    }

    static String format(long sessionId, byte[] secret) {
        return Long.toString(sessionId) + SEPARATOR + ENCODER.encodeToString(secret);
    }

    /** The parts of {@code text}, or {@code null} when it is not a token of this form. */
    static Token parse(String text) {
        if (text == null || text.length() > MAX_TOKEN_LENGTH) {
            return null;
        }
        int dot = text.indexOf(SEPARATOR);
        if (dot <= 0) {
            return null;
        }
        try {
            long id = Long.parseLong(text, 0, dot, 10);
            byte[] secret = DECODER.decode(text.substring(dot + 1));
            return secret.length == SECRET_BYTES && id > 0 ? new Token(id, secret) : null;
        } catch (IllegalArgumentException e) { // NumberFormatException too
            return null;
        }
    }

    /** Whether two secrets are equal, in time that does not depend on where they differ. */
    static boolean matches(byte[] expected, byte[] presented) {
        return expected != null && MessageDigest.isEqual(expected, presented);
    }
}
