package io.switchboard.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/** The medians a compare run of several rounds reports beside each round's ratios. */
class BenchRunnerTest {

    private static BenchReport.Ratio ratio(int round, String figure, double of, double over) {
        return new BenchReport.Ratio("broadcast (round " + round + ")", figure, "cluster", of, "standalone", over);
    }

    @Test
    void eachRatioIsReportedAtTheRoundWithTheMiddleValue() {
        List<BenchReport.Ratio> medians = BenchRunner.medians(List.of(
                List.of(ratio(1, "deliveries_per_s", 800, 1000), ratio(1, "p99_us", 30, 20)),
                List.of(ratio(2, "deliveries_per_s", 1100, 1000), ratio(2, "p99_us", 20, 20)),
                List.of(ratio(3, "deliveries_per_s", 950, 1000), ratio(3, "p99_us", 50, 20))));

        assertThat(medians).containsExactly(
                new BenchReport.Ratio("broadcast, median of 3 rounds (round 3)", "deliveries_per_s", "cluster", 950,
                        "standalone", 1000),
                new BenchReport.Ratio("broadcast, median of 3 rounds (round 1)", "p99_us", "cluster", 30,
                        "standalone", 20));
    }

    @Test
    void anEvenCountTakesTheLowerMiddleAndSkipsWhatCannotBeDivided() {
        List<BenchReport.Ratio> medians = BenchRunner.medians(List.of(
                List.of(ratio(1, "deliveries_per_s", 1200, 1000)),
                List.of(ratio(2, "deliveries_per_s", 900, 1000)),
                List.of(ratio(3, "deliveries_per_s", 900, 0))));

        assertThat(medians).singleElement().satisfies(m -> {
            assertThat(m.result()).isEqualTo("broadcast, median of 2 rounds (round 2)");
            assertThat(m.value()).isEqualTo(0.9);
        });
    }

    @Test
    void pairsAndResultsAreKeptApart() {
        List<BenchReport.Ratio> medians = BenchRunner.medians(List.of(
                List.of(ratio(1, "deliveries_per_s", 900, 1000),
                        new BenchReport.Ratio("broadcast (round 1)", "deliveries_per_s", "cluster", 700, "baseline",
                                1000),
                        new BenchReport.Ratio("broadcast at half rate (round 1)", "deliveries_per_s", "cluster", 500,
                                "standalone", 1000))));

        assertThat(medians).extracting(BenchReport.Ratio::result, BenchReport.Ratio::pair, BenchReport.Ratio::value)
                .containsExactly(
                        tuple("broadcast, median of 1 rounds (round 1)",
                                "cluster ÷ standalone", 0.9),
                        tuple("broadcast, median of 1 rounds (round 1)",
                                "cluster ÷ baseline", 0.7),
                        tuple("broadcast at half rate, median of 1 rounds (round 1)",
                                "cluster ÷ standalone", 0.5));
    }
}
