package io.switchboard.bench.internal;

import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Draws a soak's samples as one PNG (JFreeChart): a panel per {@link SoakSeries#PANELS} entry over a shared time
 * axis, a line per series, and dashed markers where the warm-up and the compared thirds begin.
 */
final class SoakChart {
    private static final int WIDTH = 1000;
    private static final int PANEL_HEIGHT = 220;
    private static final BasicStroke DASHED = new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f,
            new float[] {4f, 4f}, 0f);

    private SoakChart() {
    }

    /**
     * Latency on a log scale (a warm-up second or a GC pause would flatten everything else); the rest from zero, so
     * that a flat line looks flat rather than like noise blown up.
     */
    private static ValueAxis axis(String panel) {
        if (SoakSeries.LATENCY.equals(panel)) {
            return Charts.logAxis(panel, 0.01, "0.##");
        }
        NumberAxis axis = new NumberAxis(panel);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    static void write(SoakSamples samples, String title, Path png) throws IOException {
        Charts.headless();
        double[] time = samples.elapsedSeconds();
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("elapsed (s)"));
        plot.setGap(8);
        int colour = 0;
        for (String panel : SoakSeries.PANELS) {
            XYSeriesCollection lines = new XYSeriesCollection();
            List<SoakSeries> series = samples.series();
            for (int i = 0; i < series.size(); i++) {
                SoakSeries s = series.get(i);
                if (!panel.equals(s.panel())) {
                    continue;
                }
                XYSeries line = new XYSeries(s.name(), false, true);
                double[] values = samples.column(i);
                for (int r = 0; r < values.length; r++) {
                    if (Double.isFinite(values[r])) {
                        line.add(time[r], values[r] * s.chartScale());
                    }
                }
                lines.addSeries(line);
            }
            if (lines.getSeriesCount() == 0) {
                continue;
            }
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            for (int l = 0; l < lines.getSeriesCount(); l++) {
                renderer.setSeriesPaint(l, Charts.colour(colour++));
            }
            XYPlot sub = Charts.styled(new XYPlot(lines, null, axis(panel), renderer));
            if (time.length > 0) {
                int third = time.length / 3;
                for (int at : new int[] {third, 2 * third}) {
                    sub.addDomainMarker(new ValueMarker(time[Math.min(at, time.length - 1)], Color.GRAY, DASHED));
                }
            }
            plot.add(sub, 1);
        }
        int panels = Math.max(1, plot.getSubplots().size());
        Charts.writePng(title, plot, png, WIDTH, 120 + panels * PANEL_HEIGHT, List.of());
    }
}
