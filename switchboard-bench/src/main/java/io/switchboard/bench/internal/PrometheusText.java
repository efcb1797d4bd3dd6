package io.switchboard.bench.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a Prometheus text exposition ({@code /metrics}) well enough to sum a metric's samples. */
public final class PrometheusText {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final List<String> lines;

    private PrometheusText(List<String> lines) {
        this.lines = lines;
    }

    public static PrometheusText fetch(URI uri) throws IOException {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            return parse(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading " + uri, e);
        }
    }

    public static PrometheusText parse(String text) {
        List<String> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(line.trim());
            }
        }
        return new PrometheusText(samples);
    }

    /**
     * Sums the samples of {@code name} whose labels contain every one of {@code labels} (each written as
     * in the exposition, e.g. {@code area="heap"}); -1 when there is no such sample.
     */
    public double sum(String name, String... labels) {
        double sum = 0;
        boolean found = false;
        for (String line : lines) {
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String metric = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space).trim();
            if (!metric.equals(name)) {
                continue;
            }
            String labelText = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            boolean match = true;
            for (String label : labels) {
                match &= labelText.contains(label);
            }
            if (match) {
                try {
                    sum += Double.parseDouble(line.substring(space + 1));
                    found = true;
                } catch (NumberFormatException ignored) {
                    // a timestamped or malformed sample: not one of ours
                }
            }
        }
        return found ? sum : -1;
    }
}
