package dev.tandem.perf.calls;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

import java.util.List;
import java.util.Locale;

/**
 * A percentile-distribution chart as standalone SVG (no script, no external resource), in the layout of
 * HdrHistogram's plotter: the x axis is the percentile on a log scale of {@code 1 / (1 - p)} (so 90%, 99%, 99.9%,
 * 99.99% are evenly spaced), the y axis the value, one line per series.
 */
final class PercentilePlot
{
    static final String[] COLOURS = { "#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b" };

    private static final int WIDTH = 720;
    private static final int HEIGHT = 360;
    private static final int LEFT = 64;
    private static final int RIGHT = 170;
    private static final int TOP = 36;
    private static final int BOTTOM = 48;
    private static final double MAX_NINES = 5; // 99.999%

    private PercentilePlot()
    {
    }

    /**
     * One line of the chart.
     *
     * @param name      legend text.
     * @param histogram values in the histogram's unit.
     * @param divisor   divides values into the chart's unit (e.g. 1000 for microseconds shown as milliseconds).
     */
    record Series(String name, Histogram histogram, double divisor)
    {
    }

    /**
     * @param title chart title.
     * @param unit  y axis unit, e.g. {@code ms}.
     * @param series the lines; empty histograms are left out.
     * @return an SVG document.
     */
    static String svg(final String title, final String unit, final List<Series> series)
    {
        double maxValue = 0;
        double maxNines = 2;
        for (final Series line : series)
        {
            final Histogram histogram = line.histogram();
            if (histogram.getTotalCount() > 0)
            {
                maxValue = Math.max(maxValue, histogram.getMaxValue() / line.divisor());
                maxNines = Math.max(maxNines, Math.min(MAX_NINES, Math.log10(histogram.getTotalCount())));
            }
        }
        final double yMax = niceCeiling(maxValue <= 0 ? 1 : maxValue * 1.05);
        final int plotWidth = WIDTH - LEFT - RIGHT;
        final int plotHeight = HEIGHT - TOP - BOTTOM;
        final StringBuilder svg = new StringBuilder(16 * 1024);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
            .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
            .append("\" font-family=\"sans-serif\" font-size=\"11\">\n")
            .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n")
            .append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
            .append(escape(title)).append("</text>\n");
        // grid and axes
        for (int nines = 0; nines <= (int)Math.ceil(maxNines); nines++)
        {
            final double x = LEFT + plotWidth * nines / Math.ceil(maxNines);
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#ddd\"/>" +
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                x, TOP, x, TOP + plotHeight, x, TOP + plotHeight + 16, percentileLabel(nines)));
        }
        for (int i = 0; i <= 5; i++)
        {
            final double value = yMax * i / 5;
            final double y = TOP + plotHeight - plotHeight * i / 5.0;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>" +
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                LEFT, y, LEFT + plotWidth, y, LEFT - 6, y + 4, formatValue(value)));
        }
        svg.append(String.format(Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>\n" +
            "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">percentile</text>\n" +
            "<text x=\"16\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 16 %d)\">%s</text>\n",
            LEFT, TOP, plotWidth, plotHeight, LEFT + plotWidth / 2, HEIGHT - 10, TOP + plotHeight / 2,
            TOP + plotHeight / 2, escape(unit)));
        int index = 0;
        for (final Series line : series)
        {
            final Histogram histogram = line.histogram();
            if (histogram.getTotalCount() == 0)
            {
                continue;
            }
            final String colour = COLOURS[index % COLOURS.length];
            svg.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(colour).append("\" points=\"");
            for (final HistogramIterationValue value : histogram.percentiles(5))
            {
                final double percentile = value.getPercentileLevelIteratedTo();
                final double nines = percentile >= 100 ? maxNines :
                    Math.min(maxNines, Math.log10(100.0 / (100.0 - percentile)));
                final double x = LEFT + plotWidth * nines / Math.ceil(maxNines);
                final double y = TOP + plotHeight -
                    plotHeight * Math.min(1.0, value.getValueIteratedTo() / line.divisor() / yMax);
                svg.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
            }
            svg.append("\"/>\n");
            final int legendY = TOP + 14 + index * 18;
            svg.append(String.format(Locale.ROOT,
                "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>" +
                "<text x=\"%d\" y=\"%d\">%s</text>\n",
                LEFT + plotWidth + 10, legendY - 4, LEFT + plotWidth + 28, legendY - 4, colour,
                LEFT + plotWidth + 32, legendY, escape(line.name())));
            index++;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static String percentileLabel(final int nines)
    {
        if (nines == 0)
        {
            return "0%";
        }
        if (nines == 1)
        {
            return "90%";
        }
        final StringBuilder label = new StringBuilder("99");
        if (nines > 2)
        {
            label.append('.');
            for (int i = 2; i < nines; i++)
            {
                label.append('9');
            }
        }
        return label.append('%').toString();
    }

    private static String formatValue(final double value)
    {
        final boolean whole = value >= 100 || value >= 10 && value == Math.rint(value);
        return whole ? String.format(Locale.ROOT, "%.0f", value) :
            value >= 10 ? String.format(Locale.ROOT, "%.1f", value) : String.format(Locale.ROOT, "%.2f", value);
    }

    private static double niceCeiling(final double value)
    {
        final double magnitude = Math.pow(10, Math.floor(Math.log10(value)));
        for (final double step : new double[]{ 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }
}
