package io.switchboard.common.text;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LogTextTest {
    @Test
    void controlCharactersAreEscapedSoNoLineCanBeForged() {
        assertThat(LogText.printable("otto\r\nforged\u0000\u001b[2J"))
                .isEqualTo("otto\\u000d\\u000aforged\\u0000\\u001b[2J");
    }

    @Test
    void plainTextAndNullPassAsTheyAre() {
        assertThat(LogText.printable("gate-1 ü 世界")).isEqualTo("gate-1 ü 世界");
        assertThat(LogText.printable(null)).isEqualTo("null");
    }

    @Test
    void longTextIsCutAndMarked() {
        String exact = "x".repeat(LogText.MAX_CHARS);
        assertThat(LogText.printable(exact)).isEqualTo(exact);
        assertThat(LogText.printable(exact + "y")).isEqualTo(exact + "...");
        // An escape counts at its printed length: a payload of control characters is bounded too.
        assertThat(LogText.printable("\n".repeat(1_000_000))).hasSizeLessThanOrEqualTo(LogText.MAX_CHARS + 6 + 3);
    }
}
