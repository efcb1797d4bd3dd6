package io.switchboard.bench.internal;

import io.switchboard.bench.BenchOptions;
import io.switchboard.bench.BenchResult;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Writes a scale run's points per axis: {@code scale-<axis>.csv} and {@code scale-<axis>.png} (JFreeChart) with
 * throughput and latency against the axis on log scales, a line per target; the latency panel has p99 flat out
 * (solid) and p99 at half that rate (dashed). Every chart says its machine, date, commit and command.
 */
public final class ScaleCurves {
    static final List<String> CSV_COLUMNS = List.of("target", "point", "connections", "in_flight", "body_bytes",
            "members", "saturated_per_s", "saturated_p50_us", "saturated_p99_us", "half_offered_per_s",
            "half_rate_per_s", "half_p50_us", "half_p99_us", "problems");
    private static final BasicStroke SOLID = new BasicStroke(2f);
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {6f, 4f}, 0f);

    private ScaleCurves() {
    }

    /**
     * Writes the files of every axis that has points into {@code options.outDirectory()}; returns them. Called after
     * each target too (quietly), so that a long run stopped part way keeps what it measured.
     */
    public static List<Path> write(BenchOptions options, Map<String, Object> machine, List<BenchResult> results,
                                   PrintStream out, boolean print) throws IOException {
        Path dir = options.outDirectory();
        Files.createDirectories(dir);
        String commit = commit();
        List<Path> written = new ArrayList<>();
        for (ScaleAxis axis : ScaleAxis.values()) {
            List<BenchResult> points = results.stream().filter(r -> axis.key().equals(r.figures().get("axis")))
                    .toList();
            if (points.isEmpty()) {
                continue;
            }
            Path csv = dir.resolve("scale-" + axis.key() + ".csv");
            Files.write(csv, csv(points));
            Path png = dir.resolve("scale-" + axis.key() + ".png");
            chart(axis, points, png, List.of(machine.get("cores") + " cores, " + machine.get("cpu") + ", "
                    + machine.get("date") + ", commit " + commit + ", load average " + machine.get("load_average_1m")
                    + " at the start", "switchboard bench " + options));
            if (print) {
                out.println("wrote " + csv + " and " + png);
            }
            written.add(csv);
            written.add(png);
        }
        return written;
    }

    /** The short name of a result's target: {@code cluster} of {@code cluster (tcp, gate pid …)}. */
    static String targetName(BenchResult r) {
        int paren = r.target().indexOf(" (");
        return paren < 0 ? r.target() : r.target().substring(0, paren);
    }

    private static List<String> csv(List<BenchResult> points) {
        List<String> lines = new ArrayList<>();
        lines.add(String.join(",", CSV_COLUMNS));
        for (BenchResult r : points) {
            List<String> cells = new ArrayList<>();
            cells.add(targetName(r));
            for (String column : CSV_COLUMNS.subList(1, CSV_COLUMNS.size() - 1)) {
                Object v = r.figures().get(column.equals("in_flight") ? inFlightKey(r) : column);
                cells.add(v == null || (v instanceof Double d && d.isNaN()) ? "" : String.valueOf(v));
            }
            // Problems are free text: quoted, their quotes doubled (RFC 4180).
            cells.add(r.problems().isEmpty() ? "" : '"' + String.join("; ", r.problems()).replace("\"", "\"\"") + '"');
            lines.add(String.join(",", cells));
        }
        return lines;
    }

    private static String inFlightKey(BenchResult r) {
        return r.figures().containsKey("in_flight_per_room") ? "in_flight_per_room" : "in_flight_per_connection";
    }

    private static void chart(ScaleAxis axis, List<BenchResult> points, Path png, List<String> subtitles)
            throws IOException {
        Charts.headless();
        Map<String, List<BenchResult>> byTarget = new LinkedHashMap<>();
        points.forEach(r -> byTarget.computeIfAbsent(targetName(r), t -> new ArrayList<>()).add(r));
        XYSeriesCollection throughput = new XYSeriesCollection();
        XYSeriesCollection latency = new XYSeriesCollection();
        XYLineAndShapeRenderer throughputLines = new XYLineAndShapeRenderer(true, true);
        XYLineAndShapeRenderer latencyLines = new XYLineAndShapeRenderer(true, true);
        Shape[] shapes = DefaultDrawingSupplier.createStandardSeriesShapes();
        int colour = 0;
        for (Map.Entry<String, List<BenchResult>> target : byTarget.entrySet()) {
            int t = throughput.getSeriesCount();
            throughput.addSeries(line(target.getKey(), target.getValue(), "saturated_per_s", 1));
            throughputLines.setSeriesPaint(t, Charts.colour(colour));
            throughputLines.setSeriesStroke(t, SOLID);
            throughputLines.setSeriesShape(t, shapes[colour % shapes.length]);
            int l = latency.getSeriesCount();
            latency.addSeries(line(target.getKey() + " p99 flat out", target.getValue(), "saturated_p99_us", 1e-3));
            latency.addSeries(line(target.getKey() + " p99 at half rate", target.getValue(), "half_p99_us", 1e-3));
            latencyLines.setSeriesPaint(l, Charts.colour(colour));
            latencyLines.setSeriesStroke(l, SOLID);
            latencyLines.setSeriesPaint(l + 1, Charts.colour(colour));
            latencyLines.setSeriesStroke(l + 1, DASHED);
            latencyLines.setSeriesShape(l, shapes[colour % shapes.length]);
            latencyLines.setSeriesShape(l + 1, shapes[colour % shapes.length]);
            colour++;
        }
        NumberAxis perSecond = new NumberAxis(axis.unit());
        perSecond.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(Charts.logAxis(axis.label() + " (log)", 1, "#,##0"));
        plot.setGap(10);
        plot.add(Charts.styled(new XYPlot(throughput, null, perSecond, throughputLines)), 1);
        plot.add(Charts.styled(new XYPlot(latency, null, Charts.logAxis("p99 latency, ms (log)", 0.01, "0.##"),
                latencyLines)), 1);
        Charts.writePng("switchboard bench scale: " + axis.key(), plot, png, 1000, 760, subtitles);
    }

    private static XYSeries line(String name, List<BenchResult> points, String figure, double scale) {
        XYSeries line = new XYSeries(name, true, true);
        for (BenchResult r : points) {
            double v = r.figure(figure);
            if (Double.isFinite(v) && v > 0) {
                line.add(r.figure("point"), v * scale);
            }
        }
        return line;
    }

    /** This checkout's short commit, with {@code +dirty} when it has changes, or {@code unknown} outside git. */
    static String commit() {
        try {
            String head = git("rev-parse", "--short", "HEAD");
            return head.isEmpty() ? "unknown" : head + (git("status", "--porcelain", "-uno").isEmpty() ? "" : "+dirty");
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? text : "";
    }
}
