package io.switchboard.bench.internal;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
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
import java.text.DecimalFormat;
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
    /** One colour per series across all panels, so the shared legend names each line once; no pale yellow. */
    private static final Color[] PALETTE = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22), Color.BLACK, new Color(0x393b79), new Color(0x637939),
        new Color(0x843c39)};

    private SoakChart() {
    }

    /**
     * Latency on a log scale (a warm-up second or a GC pause would flatten everything else); the rest from zero, so
     * that a flat line looks flat rather than like noise blown up.
     */
    private static ValueAxis axis(String panel) {
        if (SoakSeries.LATENCY.equals(panel)) {
            LogAxis log = new LogAxis(panel);
            log.setSmallestValue(0.01);
            log.setTickUnit(new NumberTickUnit(1)); // a tick per decade: 1, 10, 100 ms
            log.setAutoTickUnitSelection(false);
            log.setNumberFormatOverride(new DecimalFormat("0.##")); // rather than 10^1.0
            return log;
        }
        NumberAxis axis = new NumberAxis(panel);
        axis.setAutoRangeIncludesZero(true);
        return axis;
    }

    static void write(SoakSamples samples, String title, Path png) throws IOException {
        System.setProperty("java.awt.headless", "true"); // a server has no display; set before AWT loads
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
                renderer.setSeriesPaint(l, PALETTE[colour++ % PALETTE.length]);
            }
            XYPlot sub = new XYPlot(lines, null, axis(panel), renderer);
            sub.setBackgroundPaint(Color.WHITE);
            sub.setRangeGridlinePaint(Color.LIGHT_GRAY);
            sub.setDomainGridlinePaint(Color.LIGHT_GRAY);
            if (time.length > 0) {
                int third = time.length / 3;
                for (int at : new int[] {third, 2 * third}) {
                    sub.addDomainMarker(new ValueMarker(time[Math.min(at, time.length - 1)], Color.GRAY, DASHED));
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
