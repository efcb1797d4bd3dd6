package io.switchboard.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.protocol.Json;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The outcome of a bench run: the machine it ran on, the options, one {@link BenchResult} per target (and
 * variant), and in a compare run the ratios of each later target to each earlier one. Rendered as text for people and as JSON
 * for tools.
 */
public final class BenchReport {
    private final Map<String, Object> machine;
    private final String command;
    private final List<BenchResult> results;
    private final List<Ratio> ratios;

    /** One compared figure: target {@code of}'s value divided by target {@code over}'s, e.g. standalone ÷ baseline. */
    public record Ratio(String result, String figure, String of, double ofValue, String over, double overValue) {
        public double value() {
            return overValue == 0 ? Double.NaN : ofValue / overValue;
        }

        /** E.g. {@code standalone ÷ baseline}. */
        public String pair() {
            return of + " ÷ " + over;
        }
    }

    public BenchReport(Map<String, Object> machine, String command, List<BenchResult> results, List<Ratio> ratios) {
        this.machine = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(machine));
        this.command = command;
        this.results = List.copyOf(results);
        this.ratios = List.copyOf(ratios);
    }

    public Map<String, Object> machine() {
        return machine;
    }

    public List<BenchResult> results() {
        return results;
    }

    public List<Ratio> ratios() {
        return ratios;
    }

    /** True when every result went as intended (which says nothing of whether targets were met). */
    public boolean ok() {
        return results.stream().allMatch(BenchResult::ok);
    }

    public String text() {
        StringBuilder s = new StringBuilder();
        s.append("switchboard bench ").append(command).append('\n');
        s.append("machine: ");
        machine.forEach((k, v) -> s.append(k).append('=').append(v).append("; "));
        s.setLength(s.length() - 2);
        s.append('\n');
        for (BenchResult r : results) {
            s.append('\n').append(r.name()).append(" @ ").append(r.target()).append('\n');
            int width = r.figures().keySet().stream().mapToInt(String::length).max().orElse(0);
            r.figures().forEach((k, v) -> s.append(String.format(Locale.ROOT, "  %-" + width + "s  %s%n", k, format(v))));
            r.problems().forEach(p -> s.append("  PROBLEM: ").append(p).append('\n'));
            r.notes().forEach(n -> s.append("  note: ").append(n).append('\n'));
        }
        String pair = null;
        for (Ratio r : ratios) {
            if (!r.pair().equals(pair)) {
                pair = r.pair();
                s.append('\n').append(pair).append('\n');
            }
            s.append(String.format(Locale.ROOT, "  %-28s %6.2f   (%s / %s)%s%n", r.figure(), r.value(),
                    format(r.ofValue()), format(r.overValue()), r.result().isEmpty() ? "" : "  [" + r.result() + "]"));
        }
        return s.toString();
    }

    public String json() {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("command", command);
        root.set("machine", Json.MAPPER.valueToTree(machine));
        ArrayNode list = root.putArray("results");
        for (BenchResult r : results) {
            ObjectNode node = list.addObject();
            node.put("name", r.name());
            node.put("target", r.target());
            node.set("figures", Json.MAPPER.valueToTree(r.figures()));
            node.set("problems", Json.MAPPER.valueToTree(r.problems()));
            node.set("notes", Json.MAPPER.valueToTree(r.notes()));
        }
        ArrayNode ratioList = root.putArray("ratios");
        for (Ratio r : ratios) {
            ratioList.addObject().put("result", r.result()).put("figure", r.figure()).put("of", r.of())
                    .put("of_value", r.ofValue()).put("over", r.over()).put("over_value", r.overValue())
                    .put("ratio", r.value());
        }
        return root.toPrettyString();
    }

    @Override
    public String toString() {
        return text();
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            if (Double.isNaN(d)) {
                return "n/a";
            }
            return Math.abs(d) >= 1000 ? String.format(Locale.ROOT, "%,.0f", d) : String.format(Locale.ROOT, "%.2f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format(Locale.ROOT, "%,d", ((Number) value).longValue());
        }
        return String.valueOf(value);
    }
}
