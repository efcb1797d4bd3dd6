package io.switchboard.resource.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The blocking-query parameters of a GET, as Consul takes them: {@code index=N} (answer when the view's index is past
 * N) and {@code wait=D} ({@code 500ms}, {@code 30s}, {@code 5m}, or bare seconds), capped at the server's maximum,
 * which is also the wait when none is given.
 *
 * @param index {@code null} for a plain GET, answered at once
 */
record WatchParams(Long index, Duration waitFor) {
    private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s|m)?");

    static WatchParams parse(Map<String, List<String>> params, Duration maxWait) throws ApiRefusal {
        String index = first(params, "index");
        String wait = first(params, "wait");
        Long parsedIndex = null;
        if (index != null) {
            try {
                parsedIndex = Long.parseLong(index);
            } catch (NumberFormatException e) {
                parsedIndex = -1L;
            }
            if (parsedIndex < 0) {
                throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "index must be a non-negative integer, was \""
                        + index + "\"");
            }
        }
        Duration parsedWait = maxWait;
        if (wait != null) {
            Matcher matcher = DURATION.matcher(wait);
            if (!matcher.matches()) {
                throw new ApiRefusal(HttpResponseStatus.BAD_REQUEST, "wait must be a duration such as 30s, 500ms "
                        + "or 5m, was \"" + wait + "\"");
            }
            long amount = Long.parseLong(matcher.group(1));
            String unit = matcher.group(2) == null ? "s" : matcher.group(2);
            Duration asked = switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofSeconds(amount);
            };
            parsedWait = asked.compareTo(maxWait) > 0 ? maxWait : asked;
        }
        return new WatchParams(parsedIndex, parsedWait);
    }

    /** The first value of {@code name}, or {@code null}; an empty value counts as absent. */
    static String first(Map<String, List<String>> params, String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() || values.get(0).isEmpty() ? null : values.get(0);
    }
}
