package io.memkit.bench.report;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * {@code report.json}: every figure of the report, for scripts and for comparing runs.
 *
 * <p>Layout: {@code schema}, {@code generatedAt}, {@code mode}, {@code seconds}, {@code environment}
 * (an object), {@code headlines} (strings), {@code scenarios} (each with {@code id}, {@code title},
 * {@code description}, {@code unit}, {@code bytesLabel}, {@code seconds}, {@code error},
 * {@code notes}, {@code variants}: {@code name}, {@code role}, {@code bytesPerUnit},
 * {@code savedVsNaive} (a fraction), {@code nsPerUnit}, {@code gcCount}, {@code gcMillis},
 * {@code directBytes}, {@code units}, {@code extras}, {@code error}; then {@code lineCharts}:
 * {@code id}, {@code title}, {@code xLabel}, {@code xUnit}, {@code yLabel}, {@code yUnit},
 * {@code series}: {@code name}, {@code role}, {@code x}, {@code y} (equal-length number arrays);
 * and {@code tables}: {@code title}, {@code columns} (strings), {@code rows} (arrays of strings,
 * one cell per column)) and {@code instruments}. Unknown figures are {@code null}; whole numbers
 * are written without a fraction. {@code lineCharts} and {@code tables} came later within
 * {@code memkit-report/1} and are written only where a scenario has some: readers treat them as
 * empty where they are missing.
 */
public final class ReportJson {
    /** Changes when a field changes meaning or goes away; added fields keep it. */
    public static final String SCHEMA = "memkit-report/1";

    /**
     * Strict reading: duplicate keys, trailing text, NaN and raw control characters are errors;
     * numbers stay exact (whole numbers as integers).
     */
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Two spaces per level, one value per line, {@code "key": value}, empty containers as {@code []} and {@code {}}. */
    private static final ObjectWriter WRITER;

    static {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator(""));
        printer.indentObjectsWith(indenter);
        printer.indentArraysWith(indenter);
        WRITER = MAPPER.writer(printer);
    }

    private ReportJson() {
    }

    /**
     * The report as JSON text.
     *
     * @param report the report
     * @return JSON, ending with a line break
     */
    public static String render(Report report) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("generatedAt", report.generatedAt());
        root.put("mode", report.mode());
        number(root, "seconds", report.seconds());
        ObjectNode env = root.putObject("environment");
        for (String[] pair : report.environment()) {
            env.put(pair[0], pair[1]);
        }
        ArrayNode headlines = root.putArray("headlines");
        report.headlines().forEach(headlines::add);
        ArrayNode scenarios = root.putArray("scenarios");
        for (ScenarioResult s : report.scenarios()) {
            scenario(scenarios.addObject(), s);
        }
        root.put("instruments", report.instruments());
        return write(root);
    }

    /**
     * Writes a tree in the report's layout.
     *
     * @param tree any JSON tree
     * @return JSON text, ending with a line break
     */
    static String write(JsonNode tree) {
        try {
            return WRITER.writeValueAsString(tree) + "\n";
        } catch (JsonProcessingException e) {
            // A tree of plain nodes written to a string cannot fail on I/O.
            throw new IllegalStateException("cannot write the report's JSON: " + e.getMessage(), e);
        }
    }

    private static void scenario(ObjectNode m, ScenarioResult s) {
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("description", s.description());
        m.put("unit", s.unit());
        m.put("bytesLabel", s.bytesLabel());
        number(m, "seconds", s.seconds());
        m.put("error", s.error());
        m.put("notes", s.notes());
        ArrayNode variants = m.putArray("variants");
        for (VariantResult v : s.variants()) {
            ObjectNode r = variants.addObject();
            r.put("name", v.name());
            r.put("role", v.role().label());
            number(r, "bytesPerUnit", v.bytesPerOp());
            number(r, "savedVsNaive", s.savedVsNaive(v));
            number(r, "nsPerUnit", v.nsPerOp());
            count(r, "gcCount", v.gcCount());
            count(r, "gcMillis", v.gcMillis());
            count(r, "directBytes", v.directBytes());
            r.put("units", v.ops());
            ObjectNode extras = r.putObject("extras");
            for (Map.Entry<String, Double> e : v.extras().entrySet()) {
                number(extras, e.getKey(), e.getValue() == null ? Double.NaN : e.getValue());
            }
            r.put("error", v.error());
        }
        // Only where a scenario attached some, so that a report without them reads as it always did.
        if (!s.lineCharts().isEmpty()) {
            lineCharts(m.putArray("lineCharts"), s.lineCharts());
        }
        if (!s.tables().isEmpty()) {
            tables(m.putArray("tables"), s.tables());
        }
    }

    private static void lineCharts(ArrayNode charts, java.util.List<LineChart> all) {
        for (LineChart c : all) {
            ObjectNode o = charts.addObject();
            o.put("id", c.id());
            o.put("title", c.title());
            o.put("xLabel", c.xLabel());
            o.put("xUnit", c.xUnit());
            o.put("yLabel", c.yLabel());
            o.put("yUnit", c.yUnit());
            ArrayNode series = o.putArray("series");
            for (LineChart.Series line : c.series()) {
                ObjectNode so = series.addObject();
                so.put("name", line.name());
                so.put("role", line.role().label());
                ArrayNode xs = so.putArray("x");
                ArrayNode ys = so.putArray("y");
                for (int i = 0; i < line.size(); i++) {
                    number(xs, line.x(i));
                    number(ys, line.y(i));
                }
            }
        }
    }

    private static void tables(ArrayNode tables, java.util.List<DataTable> all) {
        for (DataTable t : all) {
            ObjectNode o = tables.addObject();
            o.put("title", t.title());
            ArrayNode columns = o.putArray("columns");
            t.columns().forEach(columns::add);
            ArrayNode rows = o.putArray("rows");
            for (java.util.List<String> row : t.rows()) {
                ArrayNode cells = rows.addArray();
                row.forEach(cells::add);
            }
        }
    }

    /** A count where -1 means unknown. */
    private static void count(ObjectNode o, String key, long value) {
        if (value < 0) {
            o.putNull(key);
        } else {
            o.put(key, value);
        }
    }

    /** JSON has no NaN or infinity: they become {@code null}; whole numbers lose their fraction. */
    private static void number(ObjectNode o, String key, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            o.putNull(key);
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            o.put(key, (long) d);
        } else {
            o.put(key, d);
        }
    }

    private static void number(ArrayNode a, double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            a.addNull();
        } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            a.add((long) d);
        } else {
            a.add(d);
        }
    }
}
