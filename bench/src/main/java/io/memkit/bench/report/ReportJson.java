package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json}: every figure of the report, for scripts and for comparing runs.
 *
 * <p>Layout: {@code schema}, {@code generatedAt}, {@code mode}, {@code seconds}, {@code environment}
 * (an object), {@code headlines} (strings), {@code scenarios} (each with {@code id}, {@code title},
 * {@code description}, {@code unit}, {@code bytesLabel}, {@code seconds}, {@code error},
 * {@code notes} and {@code variants}: {@code name}, {@code role}, {@code bytesPerUnit},
 * {@code savedVsNaive} (a fraction), {@code nsPerUnit}, {@code gcCount}, {@code gcMillis},
 * {@code directBytes}, {@code units}, {@code extras}, {@code error}) and {@code instruments}.
 * Unknown figures are {@code null}.
 */
public final class ReportJson {
    /** Changes when a field changes meaning or goes away. */
    public static final String SCHEMA = "memkit-report/1";

    private ReportJson() {
    }

    /**
     * The report as JSON text.
     *
     * @param report the report
     * @return JSON, ending with a line break
     */
    public static String render(Report report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("schema", SCHEMA);
        root.put("generatedAt", report.generatedAt());
        root.put("mode", report.mode());
        root.put("seconds", report.seconds());
        Map<String, Object> env = new LinkedHashMap<>();
        for (String[] pair : report.environment()) {
            env.put(pair[0], pair[1]);
        }
        root.put("environment", env);
        root.put("headlines", report.headlines());
        List<Object> scenarios = new ArrayList<>();
        for (ScenarioResult s : report.scenarios()) {
            scenarios.add(scenario(s));
        }
        root.put("scenarios", scenarios);
        root.put("instruments", report.instruments());
        return Json.write(root);
    }

    private static Map<String, Object> scenario(ScenarioResult s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("title", s.title());
        m.put("description", s.description());
        m.put("unit", s.unit());
        m.put("bytesLabel", s.bytesLabel());
        m.put("seconds", s.seconds());
        m.put("error", s.error());
        m.put("notes", s.notes());
        List<Object> variants = new ArrayList<>();
        for (VariantResult v : s.variants()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("name", v.name());
            r.put("role", v.role());
            r.put("bytesPerUnit", v.bytesPerOp());
            r.put("savedVsNaive", s.savedVsNaive(v));
            r.put("nsPerUnit", v.nsPerOp());
            r.put("gcCount", v.gcCount() < 0 ? null : v.gcCount());
            r.put("gcMillis", v.gcMillis() < 0 ? null : v.gcMillis());
            r.put("directBytes", v.directBytes() < 0 ? null : v.directBytes());
            r.put("units", v.ops());
            r.put("extras", new LinkedHashMap<String, Object>(v.extras()));
            r.put("error", v.error());
            variants.add(r);
        }
        m.put("variants", variants);
        return m;
    }
}
