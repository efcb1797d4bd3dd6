package io.switchboard.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --target cluster}: ZooKeeper, a gate and a demo node started as child JVMs, every request crossing the link
 * to the node and back, and the three targets of one compare run divided pairwise.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSmokeTest {
    private final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

    @Test
    void compareWithClusterMeasuresAllThreeAndDividesThemPairwise() throws Exception {
        BenchReport report = BenchRunner.run(BenchOptions.builder().scenario(Scenario.ECHO).compare(true)
                .withCluster(true).fork(false).clientThreads(1).serverThreads(1).progressInterval(Duration.ZERO)
                .connections(2).inFlight(4).requestsPerConnection(50).build(), out);

        assertThat(report.results()).hasSize(3);
        BenchResult cluster = report.results().get(2);
        assertThat(cluster.target()).startsWith("cluster (tcp, gate pid");
        assertThat(cluster.problems()).isEmpty();
        assertThat(cluster.figure("responses")).isEqualTo(100);
        assertThat(report.ratios()).extracting(BenchReport.Ratio::pair).containsOnly("standalone ÷ baseline",
                "cluster ÷ baseline", "cluster ÷ standalone");
        assertThat(report.ratios()).allSatisfy(r -> assertThat(r.value()).isPositive());
    }
}
