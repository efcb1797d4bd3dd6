package io.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchMainTest {

    @Test
    void reportLineParsesBackToTheSameOptions() {
        BenchOptions options = BenchOptions.builder().scenario(Scenario.BROADCAST).compare(true).websocket(true)
                .rooms(2).members(500).rate(1200).bodySize(64).warmup(Duration.ofSeconds(2))
                .duration(Duration.ofMillis(1500)).clientThreads(1).serverThreads(1).build();
        String line = options.toString();

        BenchOptions.Builder again = BenchOptions.builder().scenario(Scenario.BROADCAST);
        BenchMain.parse(again, List.of(line.substring(line.indexOf(' ') + 1).split(" ")));

        assertThat(again.build().toString()).isEqualTo(line);
    }

    @Test
    void durationsTakeUnits() {
        assertThat(BenchMain.duration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(BenchMain.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(BenchMain.duration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(BenchMain.duration("1.5")).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void unknownFlagIsRefused() {
        assertThatThrownBy(() -> BenchMain.parse(BenchOptions.builder(), List.of("--nope", "1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--nope");
    }
}
