package io.switchboard.bench.command;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConvertersTest {

    @Test
    void timesTakeUnits() {
        Converters.Time time = new Converters.Time();
        assertThat(time.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(time.convert("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(time.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(time.convert("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(time.convert("0")).isEqualTo(Duration.ZERO);
        assertThatThrownBy(() -> time.convert("5h")).isInstanceOf(TypeConversionException.class);
    }

    @Test
    void positiveRefusesZeroAndWords() {
        Converters.Positive positive = new Converters.Positive();
        assertThat(positive.convert("12")).isEqualTo(12);
        assertThatThrownBy(() -> positive.convert("0")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> positive.convert("-3")).isInstanceOf(TypeConversionException.class);
        assertThatThrownBy(() -> positive.convert("2.5")).isInstanceOf(TypeConversionException.class);
    }
}
