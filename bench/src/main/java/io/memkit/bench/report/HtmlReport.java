package io.memkit.bench.report;

import java.util.List;
import java.util.Locale;

/**
 * {@code index.html}: the report as one self-contained page (inline CSS and SVG; no scripts,
 * no external fonts or images), with one pair of bar charts per scenario (bytes and time per unit).
 *
 * <p>Each chart has its own linear scale starting at 0, so that bar lengths compare honestly
 * within a scenario; the figures differ by orders of magnitude only between scenarios. Every bar
 * carries its value as text, so that a bar too short to see still reads.
 */
public final class HtmlReport {
    static final int CHART_WIDTH = 580;
    private static final int LABEL_WIDTH = 275;
    private static final int VALUE_WIDTH = 90;
    private static final int ROW_HEIGHT = 28;
    private static final int TOP = 34;

    private HtmlReport() {
    }

    /**
     * Renders the page.
     *
     * @param report the report
     * @return the HTML text
     */
    public static String render(Report report) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>memkit memory-savings report</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>memkit memory-savings report</h1>\n<p class=\"meta\">")
                .append(esc(report.mode())).append(" run, ").append(esc(report.generatedAt()))
                .append(String.format(Locale.ROOT, ", %.0f s", report.seconds()));
        for (String[] pair : report.environment()) {
            if (pair[0].equals("java") || pair[0].equals("cores") || pair[0].equals("os")) {
                h.append(" &middot; ").append(esc(pair[0])).append(' ').append(esc(pair[1]));
            }
        }
        h.append("</p>\n");
        for (String[] pair : report.environment()) {
            if (pair[0].equals("command")) {
                h.append("<p class=\"meta\">Produced by <code>").append(esc(pair[1])).append("</code></p>\n");
            }
        }
        h.append("<p class=\"legend\">").append(swatch(Role.NAIVE)).append(" naive (the baseline) ")
                .append(swatch(Role.MEMKIT)).append(" memkit ").append(swatch(Role.PEER)).append(" peer library or JDK ")
                .append(swatch(Role.REFERENCE)).append(" reference point</p>\n");

        List<String> headlines = report.headlines();
        if (!headlines.isEmpty()) {
            h.append("<h2>Headlines</h2>\n<ul class=\"headlines\">\n");
            for (String line : headlines) {
                h.append("<li>").append(esc(line)).append("</li>\n");
            }
            h.append("</ul>\n");
        }

        h.append("<h2>All figures</h2>\n");
        table(h, report.scenarios());

        for (ScenarioResult s : report.scenarios()) {
            scenario(h, s);
        }

        h.append("<h2 id=\"environment\">Environment</h2>\n<table class=\"env\">\n");
        for (String[] pair : report.environment()) {
            h.append("<tr><th>").append(esc(pair[0])).append("</th><td>").append(esc(pair[1])).append("</td></tr>\n");
        }
        h.append("</table>\n");
        h.append("<h2>memkit instruments at the end of the run</h2>\n<pre>").append(esc(report.instruments())).append("</pre>\n");
        h.append("<p class=\"meta\">How to read: bytes are heap bytes the measuring thread allocated per unit "
                + "(MemoryMeter, exact), unless a scenario says otherwise; time is the median of the measured batches; "
                + "GCs and GC ms are the collections during the measured batches; direct is the direct memory the variant "
                + "still held at its end. Quick runs are short: times are indicative, byte figures are exact. "
                + "Run the JMH suite (<code>java -jar bench/target/memkit-bench.jar jmh</code>) for rigorous times.</p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static void table(StringBuilder h, List<ScenarioResult> scenarios) {
        h.append("<table class=\"figures\">\n<thead><tr><th>scenario</th><th>variant</th><th>role</th>"
                + "<th class=\"n\">bytes/unit</th><th class=\"n\">saved vs naive</th><th class=\"n\">ns/unit</th>"
                + "<th class=\"n\">GCs</th><th class=\"n\">GC ms</th><th class=\"n\">direct</th></tr></thead>\n<tbody>\n");
        for (ScenarioResult s : scenarios) {
            int rows = Math.max(1, s.variants().size());
            boolean first = true;
            if (s.variants().isEmpty()) {
                h.append("<tr class=\"group\"><td><a href=\"#").append(esc(s.id())).append("\">").append(esc(s.id()))
                        .append("</a></td><td colspan=\"8\" class=\"fail\">").append(esc(s.error() == null ? "no variants" : "FAILED: " + s.error()))
                        .append("</td></tr>\n");
                continue;
            }
            for (VariantResult v : s.variants()) {
                String cls = (first ? "group " : "") + v.role().label();
                h.append("<tr class=\"").append(cls).append("\">");
                if (first) {
                    h.append("<td rowspan=\"").append(rows).append("\"><a href=\"#").append(esc(s.id())).append("\">")
                            .append(esc(s.id())).append("</a><br><span class=\"unit\">per ").append(esc(s.unit()))
                            .append("</span></td>");
                    first = false;
                }
                h.append("<td>").append(swatch(v.role())).append(' ').append(esc(v.name())).append("</td>");
                h.append("<td>").append(v.role().label()).append("</td>");
                if (!v.ok()) {
                    h.append("<td colspan=\"6\" class=\"fail\">FAILED: ").append(esc(v.error())).append("</td></tr>\n");
                    continue;
                }
                String saved = v.role() == Role.NAIVE ? "base" : Format.percent(s.savedVsNaive(v));
                h.append("<td class=\"n\">").append(Format.bytes(v.bytesPerOp())).append("</td>")
                        .append("<td class=\"n\">").append(saved).append("</td>")
                        .append("<td class=\"n\">").append(Format.nanos(v.nsPerOp())).append("</td>")
                        .append("<td class=\"n\">").append(Format.count(v.gcCount())).append("</td>")
                        .append("<td class=\"n\">").append(Format.count(v.gcMillis())).append("</td>")
                        .append("<td class=\"n\">").append(Format.memory(v.directBytes())).append("</td></tr>\n");
            }
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void scenario(StringBuilder h, ScenarioResult s) {
        h.append("<section id=\"").append(esc(s.id())).append("\">\n<h2>").append(esc(s.title()))
                .append(" <span class=\"id\">").append(esc(s.id())).append("</span></h2>\n");
        h.append("<p>").append(esc(s.description())).append("</p>\n");
        if (s.error() != null) {
            h.append("<p class=\"fail\">FAILED: ").append(esc(s.error())).append("</p>\n");
        }
        if (!s.variants().isEmpty()) {
            h.append("<div class=\"charts\">\n");
            h.append(chart(cap(s.bytesLabel()) + " per " + s.unit(), "B", s, true));
            h.append(chart("Time per " + s.unit() + " (ns, median)", "ns", s, false));
            for (String key : s.charted()) {
                h.append(chart(cap(extraLabel(key, s.unit())), "", s, key));
            }
            h.append("</div>\n");
            extras(h, s);
        }
        if (!s.lineCharts().isEmpty()) {
            h.append("<div class=\"charts\">\n");
            for (LineChart c : s.lineCharts()) {
                h.append(LineChartSvg.render(c));
            }
            h.append("</div>\n");
        }
        for (DataTable t : s.tables()) {
            table(h, t);
        }
        if (!s.notes().isEmpty()) {
            h.append("<pre class=\"notes\">").append(esc(s.notes())).append("</pre>\n");
        }
        h.append("</section>\n");
    }

    /** A scenario's attached table; cells that read as numbers are aligned right. */
    private static void table(StringBuilder h, DataTable t) {
        h.append("<table class=\"extras\"><caption>").append(esc(t.title())).append("</caption>\n<tr>");
        for (String c : t.columns()) {
            h.append("<th>").append(esc(c)).append("</th>");
        }
        h.append("</tr>\n");
        for (List<String> row : t.rows()) {
            h.append("<tr>");
            for (String cell : row) {
                h.append(NUMERIC.matcher(cell).matches() ? "<td class=\"n\">" : "<td>").append(esc(cell)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /** A cell that reads as a number: digits with grouping, sign, decimals, an optional unit or percent sign. */
    private static final java.util.regex.Pattern NUMERIC =
            java.util.regex.Pattern.compile("[-+]?[0-9][0-9,]*(\\.[0-9]+)?( ?[%a-zA-Z\u00b5]{0,3})?");

    /** The variants' further figures as a table: one column per figure, one row per variant. */
    private static void extras(StringBuilder h, ScenarioResult s) {
        java.util.LinkedHashSet<String> keys = new java.util.LinkedHashSet<>();
        for (VariantResult v : s.variants()) {
            if (v.ok()) {
                keys.addAll(v.extras().keySet());
            }
        }
        if (keys.isEmpty()) {
            return;
        }
        h.append("<table class=\"extras\"><caption>Further figures</caption>\n<tr><th></th>");
        for (String key : keys) {
            h.append("<th class=\"n\">").append(esc(extraLabel(key, s.unit()))).append("</th>");
        }
        h.append("</tr>\n");
        for (VariantResult v : s.variants()) {
            if (!v.ok()) {
                continue;
            }
            h.append("<tr><td>").append(esc(v.name())).append("</td>");
            for (String key : keys) {
                Double value = v.extras().get(key);
                h.append("<td class=\"n\">").append(value == null ? "" : esc(number(value))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    /**
     * A readable heading for a further figure's key.
     *
     * @param key  the key, e.g. {@code "cpuNsPerUnit"}
     * @param unit the scenario's unit
     * @return for example {@code "CPU ns per record (median)"}; the key itself where none is known
     */
    static String extraLabel(String key, String unit) {
        switch (key) {
            case ScenarioContext.CPU_NS:
                return "CPU ns per " + unit + " (median)";
            case Variant.RETAINED_BYTES:
                return "heap B retained per " + unit;
            case Variant.ALLOCATED_BYTES:
                return "heap B allocated per " + unit;
            case "retainedBytesPerElement":
                return "heap B retained per element";
            case "explicitGcs":
                return "System.gc() collections";
            case "explicitGcMillis":
                return "System.gc() ms";
            case "maxRequestMicros":
                return "slowest request (\u00b5s)";
            default:
                return key;
        }
    }

    /**
     * One horizontal bar chart as inline SVG, a bar per variant on a linear scale from 0.
     *
     * @param title   the chart's caption
     * @param unit    the unit after each value ({@code "B"} or {@code "ns"})
     * @param s       the scenario
     * @param bytes   {@code true} for bytes per unit, {@code false} for time per unit
     * @return the {@code <svg>} element
     */
    static String chart(String title, String unit, ScenarioResult s, boolean bytes) {
        return chart(title, unit, s, bytes ? BYTES : TIME);
    }

    private static final String BYTES = "\u0000bytes";
    private static final String TIME = "\u0000time";

    private static double figure(VariantResult v, String key) {
        if (key.equals(BYTES)) {
            return v.bytesPerOp();
        }
        if (key.equals(TIME)) {
            return v.nsPerOp();
        }
        Double value = v.extras().get(key);
        return value == null ? Double.NaN : value;
    }

    /**
     * One horizontal bar chart of any figure: {@code key} is a key of the variants' extras.
     *
     * @param title the chart's caption
     * @param unit  the unit after each value, or empty
     * @param s     the scenario
     * @param key   which figure
     * @return the {@code <svg>} element
     */
    static String chart(String title, String unit, ScenarioResult s, String key) {
        List<VariantResult> vs = s.variants();
        double max = 0;
        for (VariantResult v : vs) {
            double value = figure(v, key);
            if (v.ok() && value > max) {
                max = value;
            }
        }
        int barArea = CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH;
        int height = TOP + vs.size() * ROW_HEIGHT + 8;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg width=\"").append(CHART_WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(CHART_WIDTH).append(' ').append(height).append("\" role=\"img\" aria-label=\"")
                .append(esc(title)).append("\">\n");
        svg.append("<text x=\"0\" y=\"18\" class=\"ct\">").append(esc(title)).append("</text>\n");
        svg.append("<line x1=\"").append(LABEL_WIDTH).append("\" y1=\"").append(TOP - 6).append("\" x2=\"").append(LABEL_WIDTH)
                .append("\" y2=\"").append(height - 4).append("\" class=\"axis\"/>\n");
        for (int i = 0; i < vs.size(); i++) {
            VariantResult v = vs.get(i);
            int y = TOP + i * ROW_HEIGHT;
            double value = figure(v, key);
            svg.append("<text x=\"").append(LABEL_WIDTH - 8).append("\" y=\"").append(y + 15).append("\" class=\"lbl\">")
                    .append(esc(shorten(v.name(), 38))).append("</text>\n");
            if (!v.ok() || Double.isNaN(value)) {
                svg.append("<text x=\"").append(LABEL_WIDTH + 6).append("\" y=\"").append(y + 15).append("\" class=\"val failtext\">")
                        .append(v.ok() ? "n/a" : "failed").append("</text>\n");
                continue;
            }
            double w = max > 0 ? value / max * barArea : 0;
            if (value > 0 && w < 2) {
                w = 2;
            }
            svg.append("<rect x=\"").append(LABEL_WIDTH).append("\" y=\"").append(y + 3).append("\" width=\"")
                    .append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"").append(ROW_HEIGHT - 8)
                    .append("\" fill=\"").append(color(v.role())).append("\"><title>").append(esc(v.name())).append(": ")
                    .append(esc(number(value))).append(unit.isEmpty() ? "" : " " + unit).append("</title></rect>\n");
            svg.append("<text x=\"").append(String.format(Locale.ROOT, "%.1f", LABEL_WIDTH + w + 6)).append("\" y=\"").append(y + 15)
                    .append("\" class=\"val\">").append(esc(number(value))).append(unit.isEmpty() ? "" : " " + unit).append("</text>\n");
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** A figure: whole numbers without decimals, others as {@link Format#bytes(double)}. */
    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return String.format(Locale.ROOT, "%,d", (long) value);
        }
        return Format.bytes(value);
    }

    static String color(Role role) {
        switch (role) {
            case NAIVE:
                return "#8d8d8d";
            case MEMKIT:
                return "#1a8a5a";
            case PEER:
                return "#3a6db5";
            default:
                return "#c99a1e";
        }
    }

    private static String swatch(Role role) {
        return "<span class=\"sw\" style=\"background:" + color(role) + "\"></span>";
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    private static String cap(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /**
     * Escapes text for HTML content and attribute values.
     *
     * @param s the text, or {@code null}
     * @return the escaped text ({@code ""} for {@code null})
     */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<':
                    out.append("&lt;");
                    break;
                case '>':
                    out.append("&gt;");
                    break;
                case '&':
                    out.append("&amp;");
                    break;
                case '"':
                    out.append("&quot;");
                    break;
                case '\'':
                    out.append("&#39;");
                    break;
                default:
                    out.append(c);
            }
        }
        return out.toString();
    }

    private static final String CSS = String.join("\n",
            "body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;",
            "       color: #1d1d1f; max-width: 1240px; margin: 24px auto; padding: 0 20px; line-height: 1.45; }",
            "h1 { font-size: 28px; margin-bottom: 4px; }",
            "h2 { font-size: 21px; margin-top: 34px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }",
            "h2 .id { font-size: 14px; color: #777; font-weight: normal; font-family: ui-monospace, monospace; }",
            ".meta { color: #555; font-size: 14px; }",
            ".legend { font-size: 14px; }",
            ".sw { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-left: 6px; }",
            ".headlines li { margin: 4px 0; }",
            "table.figures { border-collapse: collapse; font-size: 14px; width: 100%; }",
            "table.figures th, table.figures td { padding: 4px 10px; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }",
            "table.figures th { background: #f4f4f6; }",
            "table.figures tr.group td { border-top: 2px solid #ccc; }",
            "table.figures td.n, table.figures th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }",
            ".unit { color: #777; font-size: 12px; }",
            "table.figures tr.memkit td:not([rowspan]) { background: #eef7f1; font-weight: 600; }",
            ".fail, .failtext { color: #b3261e; fill: #b3261e; }",
            ".charts { display: flex; flex-wrap: wrap; gap: 24px; }",
            "svg { font-size: 13px; }",
            "svg .ct { font-weight: 600; font-size: 14px; fill: #1d1d1f; }",
            "svg .lbl { text-anchor: end; fill: #1d1d1f; }",
            "svg .val { fill: #333; font-variant-numeric: tabular-nums; }",
            "svg .axis { stroke: #999; stroke-width: 1; }",
            "svg .grid { stroke: #e4e4e8; stroke-width: 1; }",
            "svg .tick { text-anchor: middle; fill: #444; font-size: 12px; }",
            "svg .yl { fill: #444; font-size: 12px; }",
            "svg.line .lbl { font-size: 12px; }",
            "table.extras { font-size: 13px; margin-top: 8px; border-collapse: collapse; }",
            "table.extras caption { text-align: left; font-weight: 600; padding-bottom: 2px; }",
            "table.extras td, table.extras th { padding: 2px 14px 2px 0; text-align: left; }",
            "table.extras th { font-weight: 600; color: #444; }",
            "table.extras td.n, table.extras th.n { text-align: right; font-variant-numeric: tabular-nums; }",
            "table.env th { text-align: left; padding-right: 16px; font-weight: 600; }",
            "pre { background: #f6f6f8; padding: 10px 12px; overflow-x: auto; font-size: 12.5px; border-radius: 4px; }",
            "code { font-family: ui-monospace, monospace; }",
            "");
}
