package io.switchboard.bench.internal;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PrometheusTextTest {
    private static final String TEXT = """
            # HELP jvm_memory_used_bytes The amount of used memory
            # TYPE jvm_memory_used_bytes gauge
            jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1000.0
            jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2500.0
            jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9999.0
            switchboard_gate_connections 42.0
            """;

    @Test
    void sumsTheSamplesWithTheLabels() {
        PrometheusText text = PrometheusText.parse(TEXT);
        assertThat(text.sum("jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3500);
        assertThat(text.sum("jvm_memory_used_bytes")).isEqualTo(13499);
        assertThat(text.sum("switchboard_gate_connections")).isEqualTo(42);
    }

    @Test
    void missingMetricIsMinusOne() {
        assertThat(PrometheusText.parse(TEXT).sum("jvm_threads_live")).isEqualTo(-1);
    }
}
