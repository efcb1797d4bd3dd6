package io.switchboard.chat.internal;

import io.switchboard.chat.ChatErrors;
import io.switchboard.common.error.SwitchboardException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenSignerTest {
    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private static TokenSigner at(Instant now) {
        return new TokenSigner(SECRET, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMinutes(10));
    }

    @Test
    void signsAndVerifiesUntilExpiry() {
        String token = at(NOW).sign(42, 3);
        TokenSigner.Claims claims = at(NOW.plusSeconds(599)).verify(token);
        assertThat(claims.userId()).isEqualTo(42);
        assertThat(claims.epoch()).isEqualTo(3);
        assertThat(claims.expiresAtMillis()).isEqualTo(NOW.plusSeconds(600).toEpochMilli());
        assertThatThrownBy(() -> at(NOW.plusSeconds(600)).verify(token))
                .isInstanceOf(SwitchboardException.class)
                .extracting(e -> ((SwitchboardException) e).errorCode()).isEqualTo(ChatErrors.TOKEN_EXPIRED);
    }

    @Test
    void refusesForgedAndMalformedTokens() {
        String token = at(NOW).sign(42, 0);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        String otherUser = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("43.0." + NOW.plusSeconds(600).toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
        String otherKey = new TokenSigner("another secret, also 32 bytes long".getBytes(StandardCharsets.US_ASCII),
                Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10)).sign(42, 0);
        for (String bad : new String[] {"", ".", "abc", payload, payload + ".", "." + signature,
                otherUser + "." + signature, otherKey, token + ".x", token.replace('.', '!'), "x".repeat(1000)}) {
            assertThatThrownBy(() -> at(NOW).verify(bad)).as(bad)
                    .isInstanceOf(SwitchboardException.class)
                    .extracting(e -> ((SwitchboardException) e).errorCode()).isEqualTo(ChatErrors.BAD_TOKEN);
        }
    }
}
