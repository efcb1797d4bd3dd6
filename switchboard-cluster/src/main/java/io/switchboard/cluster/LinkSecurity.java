package io.switchboard.cluster;

import io.switchboard.cluster.protocol.ClusterSecret;

import javax.crypto.SecretKey;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the two ends of a cluster link prove they belong to the cluster (DESIGN §10): a secret shared by every gate and
 * node, used in an HMAC-SHA256 challenge–response inside the HELLO exchange, and optionally mutual TLS
 * ({@link LinkTls}). Gates and nodes of one cluster need the same settings.
 *
 * <p>Without a secret or TLS a link is open to anyone who reaches the port, so such links are taken only from and to
 * loopback peers, and a gate refuses to bind its cluster port anywhere else.
 *
 * <p>The secret is never logged: {@link #toString()} says only whether there is one.
 */
public final class LinkSecurity {
    /** Where processes read the secret from: the environment, so it never shows in a command line. */
    public static final String SECRET_ENV = ClusterSecret.ENV;
    /** Shorter secrets are refused: 16 bytes is the least HMAC-SHA256 keys should carry. */
    public static final int MIN_SECRET_BYTES = ClusterSecret.MIN_BYTES;

    private static final LinkSecurity NONE = new LinkSecurity(null, null);

    private final SecretKey secret;
    private final LinkTls tls;

    private LinkSecurity(SecretKey secret, LinkTls tls) {
        this.secret = secret;
        this.tls = tls;
    }

    /** No secret and no TLS: loopback links only. */
    public static LinkSecurity none() {
        return NONE;
    }

    /** Links authenticated with {@code secret} (its UTF-8 bytes), at least {@value #MIN_SECRET_BYTES} bytes long. */
    public static LinkSecurity secret(String secret) {
        return new LinkSecurity(ClusterSecret.key(secret), null);
    }

    /** The secret from {@value #SECRET_ENV} when it is set, else {@link #none()}. */
    public static LinkSecurity fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** The secret from {@value #SECRET_ENV} of {@code environment} when it is set and not empty, else none. */
    public static LinkSecurity fromEnvironment(Map<String, String> environment) {
        return ClusterSecret.fromEnvironment(environment).map(key -> new LinkSecurity(key, null)).orElse(NONE);
    }

    /** These settings with mutual TLS on every link as well. */
    public LinkSecurity withTls(LinkTls tls) {
        return new LinkSecurity(secret, Objects.requireNonNull(tls, "tls"));
    }

    /** The HMAC key, when links prove the secret. */
    public Optional<SecretKey> secretKey() {
        return Optional.ofNullable(secret);
    }

    public Optional<LinkTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** Whether links authenticate their peers (secret, TLS or both); if not, they are loopback-only. */
    public boolean authenticatesPeers() {
        return secret != null || tls != null;
    }

    @Override
    public String toString() {
        return "LinkSecurity(secret " + (secret != null ? "set" : "none") + ", tls " + (tls != null ? tls : "off")
                + ")";
    }
}
