package io.switchboard.bench.command;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Flag values checked while parsing, so that picocli refuses a bad one naming its flag. */
final class Converters {
    private Converters() {
    }

    /** Counts and sizes, which {@link io.switchboard.bench.BenchOptions.Builder} wants above zero. */
    static final class Positive implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            int n;
            try {
                n = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a whole number");
            }
            if (n <= 0) {
                throw new TypeConversionException("'" + value + "' is not above zero");
            }
            return n;
        }
    }

    /** {@code 10s}, {@code 1.5s}, {@code 500ms}, {@code 2m}, or plain seconds. */
    static final class Time implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim();
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                if (v.endsWith("m")) {
                    return Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1)));
                }
                String seconds = v.endsWith("s") ? v.substring(0, v.length() - 1) : v;
                return Duration.ofMillis(Math.round(Double.parseDouble(seconds) * 1000));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + value + "' is not a time like 10s, 500ms or 2m");
            }
        }
    }
}
