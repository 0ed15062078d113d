package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The report as a plain-text table for the terminal: one block per scenario (a heading that says
 * what one unit is and what the byte figure means), one row per variant.
 */
public final class TextTable {
    private static final String[] HEADS = {"variant", "role", "bytes/unit", "saved", "ns/unit", "GCs", "GC ms", "direct"};
    /** Columns aligned left (names); the rest are numbers, aligned right. */
    private static final boolean[] LEFT = {true, true, false, false, false, false, false, false};

    private TextTable() {
    }

    /**
     * Renders every scenario's rows.
     *
     * @param scenarios the results
     * @return the table, lines separated by {@code \n}, ending with one
     */
    public static String render(List<ScenarioResult> scenarios) {
        List<String[]> rows = new ArrayList<>();
        for (ScenarioResult s : scenarios) {
            for (VariantResult v : s.variants()) {
                rows.add(cells(s, v));
            }
        }
        int[] widths = new int[HEADS.length];
        for (int c = 0; c < HEADS.length; c++) {
            widths[c] = HEADS[c].length();
        }
        for (String[] row : rows) {
            if (row.length == HEADS.length) {
                for (int c = 0; c < row.length; c++) {
                    widths[c] = Math.max(widths[c], row[c].length());
                }
            } else {
                widths[0] = Math.max(widths[0], row[0].length());
            }
        }
        StringBuilder out = new StringBuilder();
        appendRow(out, HEADS, widths);
        int total = -2;
        for (int w : widths) {
            total += w + 2;
        }
        out.append("-".repeat(total)).append('\n');
        int r = 0;
        for (ScenarioResult s : scenarios) {
            out.append(s.id()).append(": ").append(s.title()).append(" (per ").append(s.unit()).append("; bytes = ")
                    .append(s.bytesLabel()).append(')').append('\n');
            if (s.error() != null) {
                out.append("  FAILED: ").append(s.error()).append('\n');
            }
            for (int i = 0; i < s.variants().size(); i++) {
                appendRow(out, rows.get(r++), widths);
            }
        }
        return out.toString();
    }

    /**
     * The cells of one row, as shown.
     *
     * @param s the scenario (for the naive figure)
     * @param v the variant's result
     * @return eight cells, or two (name and error) for a failed variant
     */
    static String[] cells(ScenarioResult s, VariantResult v) {
        String name = "  " + v.name();
        if (!v.ok()) {
            return new String[] {name, v.role().label() + "  FAILED: " + v.error()};
        }
        String saved = v.role() == Role.NAIVE ? "base" : Format.percent(s.savedVsNaive(v));
        return new String[] {name, v.role().label(), Format.bytes(v.bytesPerOp()), saved, Format.nanos(v.nsPerOp()),
            Format.count(v.gcCount()), Format.count(v.gcMillis()), Format.memory(v.directBytes())};
    }

    private static void appendRow(StringBuilder out, String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String cell = cells[c];
            boolean last = c == cells.length - 1;
            int pad = widths[c] - cell.length();
            if (LEFT[c] || cells.length != widths.length) {
                line.append(cell);
                if (!last) {
                    line.append(" ".repeat(Math.max(0, pad)));
                }
            } else {
                line.append(" ".repeat(Math.max(0, pad))).append(cell);
            }
        }
        out.append(line).append('\n');
    }

    /**
     * A scenario's attached line charts (one line per series: its last and peak value) and text
     * tables (aligned columns), for the terminal.
     *
     * @param s the scenario's result
     * @return the text, lines ending with {@code \n}; empty when nothing is attached
     */
    public static String attachments(ScenarioResult s) {
        StringBuilder out = new StringBuilder();
        for (LineChart c : s.lineCharts()) {
            out.append("chart: ").append(c.title()).append(" (").append(c.yLabel()).append(" over ").append(c.xLabel())
                    .append(c.xUnit().isEmpty() ? "" : ", " + c.xUnit()).append(")\n");
            boolean bytes = LineChart.BYTES.equals(c.yUnit());
            for (LineChart.Series line : c.series()) {
                out.append("  ").append(LineChartSvg.legend(line, bytes, c.yUnit())).append(" (").append(line.size())
                        .append(" points)\n");
            }
        }
        for (DataTable t : s.tables()) {
            out.append("table: ").append(t.title()).append('\n');
            int[] widths = new int[t.columns().size()];
            for (int c = 0; c < widths.length; c++) {
                widths[c] = t.columns().get(c).length();
                for (java.util.List<String> row : t.rows()) {
                    widths[c] = Math.max(widths[c], row.get(c).length());
                }
            }
            tableRow(out, t.columns(), widths);
            for (java.util.List<String> row : t.rows()) {
                tableRow(out, row, widths);
            }
        }
        return out.toString();
    }

    private static void tableRow(StringBuilder out, java.util.List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("  ");
        for (int c = 0; c < cells.size(); c++) {
            line.append(cells.get(c));
            if (c < cells.size() - 1) {
                line.append(" ".repeat(widths[c] - cells.get(c).length() + 2));
            }
        }
        out.append(line).append('\n');
    }
}
