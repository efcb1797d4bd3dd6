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
    /** The fewest iterations a stored hash may name: below it the hash is too cheap to crack to keep. */
    public static final int MIN_ITERATIONS = 10_000;
    /** The most a stored hash may name: far above any real cost, low enough that a login cannot take minutes. */
    public static final int MAX_ITERATIONS = 10_000_000;
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

    /**
     * Whether the password matches the hash text, in time independent of where they differ. A malformed salt or
     * hash text (see {@link #check}) matches nothing; an iteration count beyond {@link #MAX_ITERATIONS} too, so a
     * bad entry cannot hold a login thread for hours.
     */
    public static boolean matches(char[] password, String salt, String hashText) {
        String[] parts = hashText.split("\\$", -1);
        if (parts.length != 3 || !ALGORITHM.equals(parts[0])) {
            return false;
        }
        int iterations;
        byte[] expected;
        try {
            iterations = Integer.parseInt(parts[1]);
            expected = Base64.getDecoder().decode(parts[2]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || expected.length == 0 || decodeSalt(salt) == null) {
                return false;
            }
        } catch (IllegalArgumentException e) { // NumberFormatException included
            return false;
        }
        return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    }

    /**
     * Checks a stored salt and hash text as {@link #hash} makes them, with {@link #MIN_ITERATIONS} to
     * {@link #MAX_ITERATIONS} iterations.
     *
     * @throws IllegalArgumentException saying what is wrong, never repeating the salt or the hash
     */
    public static void check(String salt, String hashText) {
        if (salt == null || salt.isEmpty()) {
            throw new IllegalArgumentException("no salt");
        }
        if (decodeSalt(salt) == null) {
            throw new IllegalArgumentException("the salt is not base64");
        }
        if (hashText == null || hashText.isEmpty()) {
            throw new IllegalArgumentException("no hash");
        }
        String[] parts = hashText.split("\\$", -1);
        if (parts.length != 3 || !ALGORITHM.equals(parts[0])) {
            throw new IllegalArgumentException("the hash is not " + ALGORITHM + "$<iterations>$<base64>");
        }
        long iterations;
        try {
            iterations = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the hash's iteration count is not a number");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("the hash's iteration count " + iterations + " is outside "
                    + MIN_ITERATIONS + "-" + MAX_ITERATIONS);
        }
        try {
            if (Base64.getDecoder().decode(parts[2]).length == 0) {
                throw new IllegalArgumentException("the hash is empty");
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hash is not base64");
        }
    }

    /** The salt's bytes, or null when it is empty or not base64 (PBKDF2 would throw on either). */
    private static byte[] decodeSalt(String salt) {
        try {
            byte[] bytes = Base64.getDecoder().decode(salt);
            return bytes.length == 0 ? null : bytes;
        } catch (IllegalArgumentException e) {
            return null;
        }
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
