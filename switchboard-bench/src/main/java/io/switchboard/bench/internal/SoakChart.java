package io.switchboard.bench.internal;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
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

    private SoakChart() {
    }

    static void write(SoakSamples samples, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // a server has no display; set before AWT loads
        double[] time = samples.elapsedSeconds();
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("elapsed (s)"));
        plot.setGap(8);
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
            NumberAxis axis = new NumberAxis(panel);
            axis.setAutoRangeIncludesZero(true); // a flat line looks flat, not like noise blown up
            XYPlot sub = new XYPlot(lines, null, axis, new XYLineAndShapeRenderer(true, false));
            sub.setBackgroundPaint(Color.WHITE);
            sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
            sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
            if (time.length > 0) {
                int third = time.length / 3;
                for (int at : new int[] {third, 2 * third}) {
                    ValueMarker marker = new ValueMarker(time[Math.min(at, time.length - 1)], Color.GRAY,
                            new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 1f, new float[] {4f, 4f}, 0f));
                    sub.addDomainMarker(marker);
                }
            }
            plot.add(sub, 1);
        }
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        int panels = Math.max(1, plot.getSubplots().size());
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, 120 + panels * PANEL_HEIGHT);
    }
}
