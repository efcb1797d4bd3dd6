package io.switchboard.cluster.protocol;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The secret every process of a cluster shares (DESIGN §10), as the HMAC-SHA256 key of {@link LinkProof}: read from
 * {@value #ENV} so it never shows in a command line, and never logged.
 */
public final class ClusterSecret {
    /** Where processes read the secret from. */
    public static final String ENV = "SWITCHBOARD_CLUSTER_SECRET";
    /** Shorter secrets are refused: 16 bytes is the least HMAC-SHA256 keys should carry. */
    public static final int MIN_BYTES = 16;
    private static final String MAC_ALGORITHM = "HmacSHA256";

    private ClusterSecret() {
    }

    /** The key of {@code secret} (its UTF-8 bytes), at least {@value #MIN_BYTES} bytes long. */
    public static SecretKey key(String secret) {
        byte[] key = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        if (key.length < MIN_BYTES) {
            throw new IllegalArgumentException("the cluster secret is too short: at least " + MIN_BYTES + " bytes");
        }
        return new SecretKeySpec(key, MAC_ALGORITHM);
    }

    /** The key from {@value #ENV} of {@code environment} when it is set and not empty. */
    public static Optional<SecretKey> fromEnvironment(Map<String, String> environment) {
        String secret = environment.get(ENV);
        if (secret == null || secret.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(key(secret));
        } catch (IllegalArgumentException e) {
            // Say which variable, never what it holds.
            throw new IllegalArgumentException(ENV + ": " + e.getMessage());
        }
    }
}
