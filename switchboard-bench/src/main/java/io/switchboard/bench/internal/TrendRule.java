package io.switchboard.bench.internal;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a soak judges one series flat or not. The samples are cut in thirds: the first third is warm-up and is
 * ignored (JIT, pools and caches filling); a statistic of the second third ({@code earlier}) is compared with the
 * same statistic of the last third ({@code later}). A series that leaks keeps climbing after warm-up, so its later
 * third sits above its earlier one by more than noise.
 *
 * <ul>
 *   <li>{@link #growth}: growing when {@code later - earlier > max(relative * earlier, absolute)}.</li>
 *   <li>{@link #fall}: falling (throughput) when {@code later < earlier * (1 - relative)}.</li>
 * </ul>
 * The statistic is the median, or for heap the minimum: heap saws up and down with every young collection, and
 * its troughs (what is left after a GC) are what a leak lifts. A window needs two finite samples, else the
 * series is {@link Trend.Verdict#UNKNOWN}.
 */
final class TrendRule {
    /** What a window of samples is reduced to. */
    enum Statistic { MINIMUM, MEDIAN }

    private static final int MIN_PER_WINDOW = 2;

    private final Statistic statistic;
    private final double relative;
    private final double absolute;
    private final boolean falling;
    private final String absoluteText;

    private TrendRule(Statistic statistic, double relative, double absolute, boolean falling, String absoluteText) {
        this.statistic = statistic;
        this.relative = relative;
        this.absolute = absolute;
        this.falling = falling;
        this.absoluteText = absoluteText;
    }

    /**
     * Growing beyond {@code relative} of the earlier value or {@code absolute}, whichever is larger.
     *
     * @param absoluteText {@code absolute} as the report states it, e.g. {@code 32 MiB}
     */
    static TrendRule growth(Statistic statistic, double relative, double absolute, String absoluteText) {
        return new TrendRule(statistic, relative, absolute, false, absoluteText);
    }

    /** Falling below {@code 1 - relative} of the earlier median: throughput that the server stopped keeping up. */
    static TrendRule fall(double relative) {
        return new TrendRule(Statistic.MEDIAN, relative, 0, true, "");
    }

    Trend judge(String series, double[] values) {
        int third = values.length / 3;
        double earlier = reduce(Arrays.copyOfRange(values, third, 2 * third));
        double later = reduce(Arrays.copyOfRange(values, 2 * third, values.length));
        if (Double.isNaN(earlier) || Double.isNaN(later)) {
            return new Trend(series, Trend.Verdict.UNKNOWN, earlier, later, describe());
        }
        Trend.Verdict verdict;
        if (falling) {
            verdict = later < earlier * (1 - relative) ? Trend.Verdict.FALLING : Trend.Verdict.FLAT;
        } else {
            verdict = later - earlier > Math.max(relative * Math.abs(earlier), absolute) ? Trend.Verdict.GROWING
                    : Trend.Verdict.FLAT;
        }
        return new Trend(series, verdict, earlier, later, describe());
    }

    /** The rule as the report states it, e.g. {@code min, grows by more than max(25%, 32 MiB)}. */
    String describe() {
        String of = statistic == Statistic.MINIMUM ? "min" : "median";
        if (falling) {
            return String.format(Locale.ROOT, "%s, falls below %.0f%%", of, (1 - relative) * 100);
        }
        return String.format(Locale.ROOT, "%s, grows by more than max(%.0f%%, %s)", of, relative * 100, absoluteText);
    }

    /** The statistic of the finite values, or NaN when fewer than {@link #MIN_PER_WINDOW}. */
    private double reduce(double[] window) {
        double[] finite = Arrays.stream(window).filter(Double::isFinite).sorted().toArray();
        if (finite.length < MIN_PER_WINDOW) {
            return Double.NaN;
        }
        if (statistic == Statistic.MINIMUM) {
            return finite[0];
        }
        int mid = finite.length / 2;
        return finite.length % 2 == 1 ? finite[mid] : (finite[mid - 1] + finite[mid]) / 2;
    }
}
