package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/**
 * Login tokens: {@code base64url(userId.epoch.expiresAtMillis) "." base64url(HMAC-SHA256(secret, payload))}.
 * The epoch is the user's token epoch when it was signed; the caller compares it with the stored one, so a
 * logout (which bumps the epoch) revokes every earlier token. Expiry reads the injected clock.
 */
public final class TokenSigner {
    private static final String MAC = "HmacSHA256";
    private static final int MAX_TOKEN_LENGTH = 256;

    /** What a valid token says. */
    public record Claims(long userId, int epoch, long expiresAtMillis) {
    }

    private final SecretKeySpec key;
    private final Clock clock;
    private final Duration ttl;

    public TokenSigner(byte[] secret, Clock clock, Duration ttl) {
        this.key = new SecretKeySpec(secret, MAC);
        this.clock = clock;
        this.ttl = ttl;
    }

    public String sign(long userId, int epoch) {
        long expiresAt = clock.millis() + ttl.toMillis();
        byte[] payload = (userId + "." + epoch + "." + expiresAt).getBytes(StandardCharsets.US_ASCII);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(payload) + "." + b64.encodeToString(mac(payload));
    }

    /**
     * The claims of a token signed with this secret and not yet expired.
     *
     * @throws SwitchboardException {@link ChatErrors#BAD_TOKEN} when malformed or forged,
     *                              {@link ChatErrors#TOKEN_EXPIRED} when expired
     */
    public Claims verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            throw new SwitchboardException(ChatErrors.BAD_TOKEN);
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new SwitchboardException(ChatErrors.BAD_TOKEN);
        }
        Claims claims;
        try {
            byte[] payload = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(signature, mac(payload))) {
                throw new SwitchboardException(ChatErrors.BAD_TOKEN);
            }
            String[] fields = new String(payload, StandardCharsets.US_ASCII).split("\\.");
            if (fields.length != 3) {
                throw new SwitchboardException(ChatErrors.BAD_TOKEN);
            }
            claims = new Claims(Long.parseLong(fields[0]), Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
        } catch (IllegalArgumentException e) {
            throw new SwitchboardException(ChatErrors.BAD_TOKEN);
        }
        if (clock.millis() >= claims.expiresAtMillis()) {
            throw new SwitchboardException(ChatErrors.TOKEN_EXPIRED);
        }
        return claims;
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(key);
            return mac.doFinal(payload);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(MAC + " is part of every Java 17 runtime", e);
        }
    }
}
