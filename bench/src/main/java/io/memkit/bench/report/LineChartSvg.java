package io.memkit.bench.report;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a {@link LineChart} as inline SVG for {@code index.html}: linear axes with round ticks
 * (y from 0 unless a value is negative, so that heights compare honestly), one polyline per
 * series, and a legend that gives each series' last and peak value as text.
 */
final class LineChartSvg {
    static final int WIDTH = 720;
    private static final int PLOT_HEIGHT = 240;
    private static final int LEFT = 78;
    private static final int RIGHT = 18;
    private static final int TOP = 34;
    private static final int AXIS_SPACE = 46;
    private static final int LEGEND_ROW = 20;
    /** Above this many points a series is drawn as a line only, without a marker (and hover text) per point. */
    private static final int MARKER_LIMIT = 60;

    /** Shades per role: the first series of a role gets the bar charts' colour, later ones the next shade. */
    private static final Map<Role, String[]> SHADES = Map.of(
            Role.MEMKIT, new String[] {HtmlReport.color(Role.MEMKIT), "#7cc49e", "#0b5236"},
            Role.PEER, new String[] {HtmlReport.color(Role.PEER), "#d0622b", "#8a55b8", "#2aa1b3"},
            Role.NAIVE, new String[] {HtmlReport.color(Role.NAIVE), "#555555"},
            Role.REFERENCE, new String[] {HtmlReport.color(Role.REFERENCE), "#8f6a0a"});
    private static final String[] DASHES = {"", "7 4", "2 3", "10 3 2 3"};

    private LineChartSvg() {
    }

    /**
     * The chart as an {@code <svg>} element.
     *
     * @param chart the chart
     * @return the SVG text
     */
    static String render(LineChart chart) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = 0;
        double yMax = Double.NEGATIVE_INFINITY;
        for (LineChart.Series s : chart.series()) {
            for (int i = 0; i < s.size(); i++) {
                xMin = Math.min(xMin, s.x(i));
                xMax = Math.max(xMax, s.x(i));
                yMin = Math.min(yMin, s.y(i));
                yMax = Math.max(yMax, s.y(i));
            }
        }
        if (xMin > xMax) { // no points at all
            xMin = 0;
            xMax = 1;
        }
        if (xMax == xMin) {
            xMax = xMin + 1;
        }
        if (!(yMax > yMin)) {
            yMax = yMin + 1;
        }
        boolean bytes = LineChart.BYTES.equals(chart.yUnit());
        double xStep = step(xMax - xMin);
        double yStep = bytes ? byteStep(yMax - yMin) : step(yMax - yMin);
        xMin = Math.floor(xMin / xStep) * xStep;
        xMax = Math.ceil(xMax / xStep) * xStep;
        yMin = Math.floor(yMin / yStep) * yStep;
        yMax = Math.ceil(yMax / yStep) * yStep;

        int plotWidth = WIDTH - LEFT - RIGHT;
        int height = TOP + PLOT_HEIGHT + AXIS_SPACE + LEGEND_ROW * Math.max(1, chart.series().size()) + 6;
        Scale sx = new Scale(xMin, xMax, LEFT, LEFT + plotWidth);
        Scale sy = new Scale(yMin, yMax, TOP + PLOT_HEIGHT, TOP);
        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg class=\"line\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(HtmlReport.esc(chart.title())).append("\">\n");
        svg.append("<text x=\"0\" y=\"18\" class=\"ct\">").append(HtmlReport.esc(chart.title())).append("</text>\n");
        for (double y = yMin; y <= yMax + yStep / 2; y += yStep) {
            double py = sy.at(y);
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(f(py)).append("\" x2=\"").append(LEFT + plotWidth)
                    .append("\" y2=\"").append(f(py)).append("\" class=\"grid\"/>\n");
            svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(py + 4)).append("\" class=\"lbl\">")
                    .append(HtmlReport.esc(value(y, bytes, ""))).append("</text>\n");
        }
        for (double x = xMin; x <= xMax + xStep / 2; x += xStep) {
            double px = sx.at(x);
            svg.append("<line x1=\"").append(f(px)).append("\" y1=\"").append(TOP + PLOT_HEIGHT).append("\" x2=\"").append(f(px))
                    .append("\" y2=\"").append(TOP + PLOT_HEIGHT + 4).append("\" class=\"axis\"/>\n");
            svg.append("<text x=\"").append(f(px)).append("\" y=\"").append(TOP + PLOT_HEIGHT + 17).append("\" class=\"tick\">")
                    .append(HtmlReport.esc(value(x, false, ""))).append("</text>\n");
        }
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP).append("\" x2=\"").append(LEFT).append("\" y2=\"")
                .append(TOP + PLOT_HEIGHT).append("\" class=\"axis\"/>\n");
        svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(TOP + PLOT_HEIGHT).append("\" x2=\"").append(LEFT + plotWidth)
                .append("\" y2=\"").append(TOP + PLOT_HEIGHT).append("\" class=\"axis\"/>\n");
        svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(TOP + PLOT_HEIGHT + 34)
                .append("\" class=\"tick\">").append(HtmlReport.esc(label(chart.xLabel(), chart.xUnit()))).append("</text>\n");
        svg.append("<text x=\"").append(LEFT).append("\" y=\"").append(TOP - 6).append("\" class=\"yl\">")
                .append(HtmlReport.esc(label(chart.yLabel(), bytes ? "" : chart.yUnit()))).append("</text>\n");

        Map<Role, Integer> perRole = new HashMap<>();
        List<LineChart.Series> series = chart.series();
        for (int k = 0; k < series.size(); k++) {
            LineChart.Series s = series.get(k);
            int nth = perRole.merge(s.role(), 1, Integer::sum) - 1;
            String[] shades = SHADES.get(s.role());
            String color = shades[nth % shades.length];
            String dash = DASHES[(nth / shades.length + (nth > 0 ? 1 : 0)) % DASHES.length];
            String dashAttr = dash.isEmpty() ? "" : " stroke-dasharray=\"" + dash + "\"";
            svg.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"2\"").append(dashAttr)
                    .append(" points=\"");
            for (int i = 0; i < s.size(); i++) {
                svg.append(i == 0 ? "" : " ").append(f(sx.at(s.x(i)))).append(',').append(f(sy.at(s.y(i))));
            }
            svg.append("\"><title>").append(HtmlReport.esc(s.name())).append("</title></polyline>\n");
            if (s.size() <= MARKER_LIMIT) {
                for (int i = 0; i < s.size(); i++) {
                    svg.append("<circle cx=\"").append(f(sx.at(s.x(i)))).append("\" cy=\"").append(f(sy.at(s.y(i))))
                            .append("\" r=\"").append(s.size() == 1 ? 4 : 2.5).append("\" fill=\"").append(color).append("\"><title>")
                            .append(HtmlReport.esc(s.name() + ": " + value(s.y(i), bytes, chart.yUnit()) + " at "
                                    + value(s.x(i), false, chart.xUnit()))).append("</title></circle>\n");
                }
            }
            int ly = TOP + PLOT_HEIGHT + AXIS_SPACE + k * LEGEND_ROW + 8;
            svg.append("<line x1=\"").append(LEFT).append("\" y1=\"").append(ly).append("\" x2=\"").append(LEFT + 26)
                    .append("\" y2=\"").append(ly).append("\" stroke=\"").append(color).append("\" stroke-width=\"3\"").append(dashAttr)
                    .append("/>\n");
            svg.append("<text x=\"").append(LEFT + 34).append("\" y=\"").append(ly + 4).append("\" class=\"val\">")
                    .append(HtmlReport.esc(legend(s, bytes, chart.yUnit()))).append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** The legend text of a series: its name, last and peak value. */
    static String legend(LineChart.Series s, boolean bytes, String unit) {
        if (s.size() == 0) {
            return s.name() + " (no points)";
        }
        double peak = s.y(0);
        for (int i = 1; i < s.size(); i++) {
            peak = Math.max(peak, s.y(i));
        }
        return s.name() + ": last " + value(s.y(s.size() - 1), bytes, unit) + ", peak " + value(peak, bytes, unit);
    }

    /** A round step giving about five ticks over {@code range}: 1, 2 or 5 times a power of ten. */
    static double step(double range) {
        double raw = range / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double r = raw / magnitude;
        return (r <= 1 ? 1 : r <= 2 ? 2 : r <= 5 ? 5 : 10) * magnitude;
    }

    /** A round step for bytes: 1, 2 or 5 times a power of ten of B, KiB, MiB or GiB, so that tick labels read round. */
    static double byteStep(double range) {
        double unit = 1;
        while (unit < (1L << 30) && range / (unit * 1024) >= 1) {
            unit *= 1024;
        }
        return step(range / unit) * unit;
    }

    /** A value as axis text: bytes as KiB/MiB, other values with grouping and at most three decimals. */
    static String value(double v, boolean bytes, String unit) {
        if (bytes) {
            return v < 0 ? "-" + Format.memory(Math.round(-v)) : Format.memory(Math.round(v));
        }
        String text = v == Math.rint(v) && Math.abs(v) < 1e15
                ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%,.3f", v).replaceAll("\\.?0+$", "");
        return unit.isEmpty() ? text : text + " " + unit;
    }

    private static String label(String label, String unit) {
        return unit.isEmpty() || label.contains(unit) ? label : label + " (" + unit + ")";
    }

    private static String f(double d) {
        return String.format(Locale.ROOT, "%.1f", d);
    }

    /** A linear map from data values to pixels. */
    private static final class Scale {
        private final double from;
        private final double to;
        private final double p0;
        private final double p1;

        Scale(double from, double to, double p0, double p1) {
            this.from = from;
            this.to = to;
            this.p0 = p0;
            this.p1 = p1;
        }

        double at(double v) {
            return p0 + (v - from) / (to - from) * (p1 - p0);
        }
    }
}
