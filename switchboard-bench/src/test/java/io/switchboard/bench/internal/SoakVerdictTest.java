package io.switchboard.bench.internal;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The soak's flat-or-growing decision on synthetic series, sampled 60 times (20 per third). */
class SoakVerdictTest {
    private static final double MIB = 1024 * 1024;
    private static final int SAMPLES = 60;

    /** Young collections every 5 samples: 100 MiB live, up to 260 MiB before each GC. */
    private static double sawtooth(int i) {
        return 100 * MIB + (i % 5) * 40 * MIB;
    }

    private static double[] series(IntToDoubleFunction value) {
        return IntStream.range(0, SAMPLES).mapToDouble(value).toArray();
    }

    private static Trend judge(SoakSeries s, double[] values) {
        return s.rule().judge(s.name(), values);
    }

    private static SoakSeries process(int index) {
        return SoakSeries.forProcess("gate").get(index);
    }

    @Test
    void aHeapSawtoothWithSteadyTroughsIsFlat() {
        Trend heap = judge(process(0), series(SoakVerdictTest::sawtooth));

        assertThat(heap.verdict()).isEqualTo(Trend.Verdict.FLAT);
        assertThat(heap.earlier()).isEqualTo(100 * MIB);
        assertThat(heap.later()).isEqualTo(100 * MIB);
    }

    @Test
    void aHeapWhoseTroughsClimbIsGrowingThoughItsPeaksLookAlike() {
        // 3 MiB more live data per sample: troughs climb 60 MiB from one third to the next.
        Trend heap = judge(process(0), series(i -> sawtooth(i) + i * 3 * MIB));

        assertThat(heap.verdict()).isEqualTo(Trend.Verdict.GROWING);
        assertThat(heap.bad()).isTrue();
        assertThat(heap.later() - heap.earlier()).isEqualTo(60 * MIB);
    }

    @Test
    void aWarmUpClimbThatLevelsOffIsFlat() {
        Trend heap = judge(process(0), series(i -> sawtooth(i) + Math.min(i, 15) * 10 * MIB));

        assertThat(heap.verdict()).isEqualTo(Trend.Verdict.FLAT);
    }

    @Test
    void threadsThatJitterByOneOrTwoAreFlatAndThreadsThatClimbAreGrowing() {
        assertThat(judge(process(2), series(i -> 40 + i % 3)).verdict()).isEqualTo(Trend.Verdict.FLAT);

        Trend leaking = judge(process(2), series(i -> 40 + i / 2));
        assertThat(leaking.verdict()).isEqualTo(Trend.Verdict.GROWING);
        assertThat(leaking.later() - leaking.earlier()).isEqualTo(10);
    }

    @Test
    void openFilesMayMoveWithinTheirSlackButNotBeyond() {
        assertThat(judge(process(3), series(i -> 200 + (i % 2) * 12)).verdict()).isEqualTo(Trend.Verdict.FLAT);
        assertThat(judge(process(3), series(i -> 200 + i * 2)).verdict()).isEqualTo(Trend.Verdict.GROWING);
    }

    @Test
    void throughputThatHalvesIsFallingAndLatencyThatClimbsIsGrowing() {
        List<SoakSeries> echo = SoakSeries.forLoad("echo", "requests");

        assertThat(judge(echo.get(0), series(i -> i < 40 ? 500 : 200)).verdict()).isEqualTo(Trend.Verdict.FALLING);
        assertThat(judge(echo.get(0), series(i -> 500 - i % 7)).verdict()).isEqualTo(Trend.Verdict.FLAT);
        assertThat(judge(echo.get(2), series(i -> i < 40 ? 2_000 : 20_000)).verdict()).isEqualTo(Trend.Verdict.GROWING);
        assertThat(judge(echo.get(2), series(i -> 2_000 + (i % 4) * 1_000)).verdict())
                .as("noise within 5 ms").isEqualTo(Trend.Verdict.FLAT);
    }

    @Test
    void tooFewSamplesOrUnreadValuesAreUnknown() {
        assertThat(judge(process(0), new double[] {1, 2, 3}).verdict()).isEqualTo(Trend.Verdict.UNKNOWN);
        assertThat(judge(process(2), series(i -> Double.NaN)).verdict()).isEqualTo(Trend.Verdict.UNKNOWN);
    }

    @Test
    void aRunFailsOnGrowingThreadsOrErrorsAndPassesWhenEverythingIsFlat() {
        List<SoakSeries> columns = new java.util.ArrayList<>(SoakSeries.forProcess("standalone"));
        columns.add(SoakSeries.errors());
        SoakSamples flat = samples(columns, i -> new double[] {sawtooth(i), 8 * MIB, 30 + i % 2, 120, 0});
        SoakSamples leaking = samples(columns, i -> new double[] {sawtooth(i), 8 * MIB, 30 + i, 120, 0});
        SoakSamples failing = samples(columns, i -> new double[] {sawtooth(i), 8 * MIB, 30, 120, i > 50 ? 3 : 0});

        assertThat(flat.problems(flat.judge())).isEmpty();
        assertThat(leaking.problems(leaking.judge())).singleElement().asString()
                .startsWith("standalone_threads is growing: 59.5 in the second third, 79.5 in the last");
        assertThat(failing.problems(failing.judge())).containsExactly(
                "3 errors from the loads (error responses, wrong bodies, failed cycles)");
        SoakSamples empty = samples(columns, i -> null);
        assertThat(empty.problems(empty.judge())).singleElement().asString().startsWith("too few samples");
    }

    private static SoakSamples samples(List<SoakSeries> columns, java.util.function.IntFunction<double[]> row) {
        SoakSamples samples = new SoakSamples(columns);
        for (int i = 0; i < SAMPLES; i++) {
            double[] values = row.apply(i);
            if (values != null) {
                samples.add(i * 5.0, values);
            }
        }
        return samples;
    }
}
