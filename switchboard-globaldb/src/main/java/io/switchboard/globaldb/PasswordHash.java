package io.switchboard.globaldb;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Operators' password hashes: PBKDF2-HMAC-SHA256 with a random 16-byte salt. The hash text names its algorithm and
 * iteration count ({@code pbkdf2-sha256$<iterations>$<base64>}), so the count can rise without breaking old entries.
 */
public final class PasswordHash {
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String ALGORITHM = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    private static final SecureRandom RANDOM = new SecureRandom();

    private PasswordHash() {
    }

    /** A new random salt, base64. */
    public static String newSalt() {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return Base64.getEncoder().encodeToString(salt);
    }

    /** The hash text of a password with this salt. */
    public static String hash(char[] password, String salt, int iterations) {
        return ALGORITHM + '$' + iterations + '$'
                + Base64.getEncoder().encodeToString(derive(password, salt, iterations));
    }

    /** Whether the password matches the hash text, in time independent of where they differ. */
    public static boolean matches(char[] password, String salt, String hashText) {
        String[] parts = hashText.split("\\$");
        if (parts.length != 3 || !ALGORITHM.equals(parts[0])) {
            return false;
        }
        int iterations;
        try {
            iterations = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return false;
        }
        byte[] expected;
        try {
            expected = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    }

    private static byte[] derive(char[] password, String salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, Base64.getDecoder().decode(salt), iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17", e);
        } finally {
            spec.clearPassword();
        }
    }
}
