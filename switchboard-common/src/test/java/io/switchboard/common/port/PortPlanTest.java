package io.switchboard.common.port;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortPlanTest {
    @Test
    void gateProgramOneOfProjectOneIs10101() {
        assertThat(PortPlan.gate(1)).isEqualTo(10101);
        assertThat(PortPlan.port(1, PortPlan.GROUP, 2)).isEqualTo(10202);
        assertThat(PortPlan.admin(1)).isEqualTo(19901);
    }

    @Test
    void outOfRangePartsAreRefused() {
        assertThatThrownBy(() -> PortPlan.port(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortPlan.port(1, 100, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortPlan.port(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PortPlan.port(6, 99, 99)).hasMessageContaining("65535");
    }
}
