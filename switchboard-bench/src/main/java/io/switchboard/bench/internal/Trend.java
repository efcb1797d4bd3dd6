package io.switchboard.bench.internal;

/**
 * A soak's verdict on one series, with the two windows compared.
 *
 * @param earlier the statistic of the second third (after warm-up)
 * @param later   the statistic of the last third
 * @param rule    the rule that judged it, in words
 */
record Trend(String series, Verdict verdict, double earlier, double later, String rule) {

    enum Verdict {
        FLAT, GROWING, FALLING, UNKNOWN;

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Growing memory, threads, files or latency, or falling throughput. */
    boolean bad() {
        return verdict == Verdict.GROWING || verdict == Verdict.FALLING;
    }
}
