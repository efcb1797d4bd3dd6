package io.switchboard.common.error;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ErrorModuleTest {
    @Test
    void codesFollowThePlan() {
        ErrorCode code = ErrorModule.GATE.code(1, "X", "x");
        assertThat(code.code()).isEqualTo(1_001_000_001L);
        assertThat(ErrorModule.ROOM.code(999_999, "Y", "y").code()).isEqualTo(1_002_999_999L);
        assertThat(ErrorModule.of(1_001_000_001L)).isEqualTo(ErrorModule.GATE);
        assertThat(ErrorModule.of(1_010_000_005L)).isEqualTo(ErrorModule.CHAT);
        assertThat(ErrorModule.of(1_001_000_000L)).isNull();
        assertThat(ErrorModule.of(200)).isNull();
    }

    @Test
    void numbersOutsideAModuleAreRefused() {
        assertThatThrownBy(() -> ErrorModule.GATE.code(0, "Z", "z")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ErrorModule.GATE.code(1_000_000, "Z", "z"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
