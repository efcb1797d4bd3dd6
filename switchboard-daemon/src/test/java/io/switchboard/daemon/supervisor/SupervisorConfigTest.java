package io.switchboard.daemon.supervisor;

import io.switchboard.globaldb.ProcessRecordPart;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisorConfigTest {

    @Test
    void aProcessIsHungOnlyAfterAtLeastTwoSilentIntervals() {
        assertThatThrownBy(() -> SupervisorConfig.builder(Path.of("logs")).hungFactor(1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hungFactor must be at least 2");
        assertThat(SupervisorConfig.builder(Path.of("logs")).hungFactor(2).build().hungFactor()).isEqualTo(2);
    }

    @Test
    void theDefaultsAreTheRecordWritersOwn() {
        SupervisorConfig config = SupervisorConfig.builder(Path.of("logs")).build();
        assertThat(config.recordInterval()).isEqualTo(ProcessRecordPart.DEFAULT_INTERVAL);
        assertThat(config.hungFactor()).isEqualTo(ProcessRecordPart.DEFAULT_HUNG_AFTER_INTERVALS);
    }
}
