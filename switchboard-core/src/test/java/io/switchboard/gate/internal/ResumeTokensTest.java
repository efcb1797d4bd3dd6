package io.switchboard.gate.internal;

import io.switchboard.gate.OtherGates;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ResumeTokensTest {
    private final byte[] secret = new ResumeTokens().newSecret();

    @Test
    void aTokenNamesItsGateOnlyInACluster() {
        String standalone = ResumeTokens.format(OtherGates.NO_NUMBER, 42, secret);
        String clustered = ResumeTokens.format(7, 42, secret);
        assertThat(standalone).startsWith("42.").doesNotContain(":");
        assertThat(clustered).startsWith("7:42.");

        ResumeTokens.Token parsed = ResumeTokens.parse(clustered);
        assertThat(parsed.gate()).isEqualTo(7);
        assertThat(parsed.sessionId()).isEqualTo(42);
        assertThat(ResumeTokens.matches(secret, parsed.secret())).isTrue();
        assertThat(ResumeTokens.parse(standalone).gate()).isEqualTo(OtherGates.NO_NUMBER);
        assertThat(ResumeTokens.parse("0:1." + clustered.substring(clustered.indexOf('.') + 1)).gate()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {":42.AAAAAAAAAAAAAAAAAAAAAA", "-1:42.AAAAAAAAAAAAAAAAAAAAAA", "x:42.AAAAAAAAAAAAAAAAAAAAAA",
            "7:.AAAAAAAAAAAAAAAAAAAAAA", "7:0.AAAAAAAAAAAAAAAAAAAAAA", "7:42.AAAA", "42.AAAA:AAAAAAAAAAAAAAAAAA",
            "99999999999:42.AAAAAAAAAAAAAAAAAAAAAA", "1:2:3.AAAAAAAAAAAAAAAAAAAAAA", ""})
    void malformedTokensAreNotTokens(String text) {
        assertThat(ResumeTokens.parse(text)).isNull();
    }

    @Test
    void anOverlongTokenIsNotReadAtAll() {
        assertThat(ResumeTokens.parse("7:42." + "A".repeat(200))).isNull();
    }
}
