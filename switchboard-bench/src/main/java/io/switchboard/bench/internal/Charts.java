package io.switchboard.bench.internal;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.title.TextTitle;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.text.DecimalFormat;
import java.util.List;

/** What the bench's JFreeChart charts share: colours, log axes, a white plot, and writing the PNG headless. */
final class Charts {
    /** Distinct colours in order; no pale yellow, which vanishes on white. */
    static final Color[] PALETTE = {new Color(0xd62728), new Color(0x1f77b4), new Color(0x2ca02c),
        new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x17becf),
        new Color(0x7f7f7f), new Color(0xbcbd22), Color.BLACK, new Color(0x393b79), new Color(0x637939),
        new Color(0x843c39)};

    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Charts() {
    }

    static Color colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** A log axis with a tick per decade written as plain numbers (1, 10, 100 rather than 10^1.0). */
    static LogAxis logAxis(String label, double smallest, String format) {
        LogAxis log = new LogAxis(label);
        log.setSmallestValue(smallest);
        log.setTickUnit(new NumberTickUnit(1));
        log.setAutoTickUnitSelection(false);
        log.setNumberFormatOverride(new DecimalFormat(format));
        return log;
    }

    /** White background with light grid lines. */
    static XYPlot styled(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    /** A server has no display: call before building a chart, so AWT loads headless. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** Writes the chart; each subtitle is a line of small print under the title (machine, date, command). */
    static void writePng(String title, Plot plot, Path png, int width, int height, List<String> subtitles)
            throws IOException {
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        for (String line : subtitles) {
            chart.addSubtitle(new TextTitle(line, SMALL));
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }
}
