package io.memkit.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@code report.json} for CI's smoke test: strict JSON, the expected schema, at least one
 * scenario, every variant either with figures or with an error, and well-formed line charts and
 * tables where a scenario has them.
 *
 * <p>A failed peer, naive or reference row is listed but allowed (a peer library may not run
 * everywhere). A failed memkit row, or a scenario that failed as a whole (which hides its memkit
 * rows), makes the file invalid: the report exists to measure memkit, so CI must not pass without
 * memkit's figures. A missing or malformed file is invalid too.
 *
 * <p>Usage: {@code java -cp memkit-bench.jar io.memkit.bench.report.ReportCheck path/to/report.json};
 * exit status 0 when valid, 1 when not.
 */
public final class ReportCheck {
    private static final Set<String> ROLES = Set.of("naive", "memkit", "peer", "reference");

    private ReportCheck() {
    }

    /**
     * Checks the file named by the first argument.
     *
     * @param args the path of {@code report.json}
     */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ReportCheck path/to/report.json");
            System.exit(2);
        }
        List<String> problems = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        String summary = check(Paths.get(args[0]), problems, failures);
        for (String f : failures) {
            System.out.println("report.json: failed row (allowed): " + f);
        }
        if (!problems.isEmpty()) {
            for (String p : problems) {
                System.err.println("report.json INVALID: " + p);
            }
            System.exit(1);
        }
        System.out.println("report.json OK: " + summary);
    }

    /**
     * Checks a report file.
     *
     * @param file     the file
     * @param problems receives what makes it invalid, failed memkit rows included
     * @param failures receives the failed rows that are allowed
     * @return a one-line summary of what it holds
     */
    static String check(Path file, List<String> problems, List<String> failures) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            problems.add("cannot read " + file.toAbsolutePath() + ": " + ScenarioContext.describe(e));
            return "";
        }
        JsonNode report;
        try {
            report = ReportJson.MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            problems.add("not valid JSON: " + e.getOriginalMessage() + " at line " + line(e));
            return "";
        }
        if (report == null || !report.isObject()) {
            problems.add("top level is not an object");
            return "";
        }
        if (!ReportJson.SCHEMA.equals(report.path("schema").textValue())) {
            problems.add("schema is " + report.get("schema") + ", expected " + ReportJson.SCHEMA);
        }
        JsonNode scenarios = report.path("scenarios");
        if (!scenarios.isArray() || scenarios.isEmpty()) {
            problems.add("no scenarios");
            return "";
        }
        int variants = 0;
        int charts = 0;
        int tables = 0;
        for (JsonNode s : scenarios) {
            if (!s.isObject()) {
                problems.add("a scenario is not an object");
                continue;
            }
            if (!s.path("id").isTextual()) {
                problems.add("a scenario has no id");
                continue;
            }
            String id = s.get("id").textValue();
            if (s.path("error").isTextual()) {
                problems.add(id + ": the scenario failed (its memkit rows are unknown): " + s.get("error").textValue());
            }
            if (!s.path("variants").isArray()) {
                problems.add(id + ": no variants list");
                continue;
            }
            if (s.get("variants").isEmpty() && !s.path("error").isTextual()) {
                problems.add(id + ": no variants and no error");
            }
            for (JsonNode v : s.get("variants")) {
                variants++;
                if (!v.isObject()) {
                    problems.add(id + ": a variant is not an object");
                    continue;
                }
                String name = v.path("name").asText("?");
                String role = v.path("role").asText("?");
                if (!v.path("name").isTextual() || !ROLES.contains(role)) {
                    problems.add(id + "/" + name + ": missing name or unknown role " + v.get("role"));
                }
                if (v.path("error").isTextual()) {
                    String failure = id + "/" + name + ": " + v.get("error").textValue();
                    if (role.equals("memkit")) {
                        problems.add("memkit row failed: " + failure);
                    } else {
                        failures.add(failure);
                    }
                } else if (!v.path("bytesPerUnit").isNumber() || !v.path("nsPerUnit").isNumber()) {
                    problems.add(id + "/" + name + ": neither figures (bytesPerUnit, nsPerUnit) nor an error");
                }
            }
            charts += lineCharts(id, s.get("lineCharts"), problems);
            tables += tables(id, s.get("tables"), problems);
        }
        return scenarios.size() + " scenarios, " + variants + " variants, " + failures.size() + " failed (allowed), "
                + charts + " line charts, " + tables + " tables";
    }

    /** Checks the optional {@code lineCharts} of one scenario; returns how many there are. */
    private static int lineCharts(String id, JsonNode charts, List<String> problems) {
        if (charts == null) {
            return 0;
        }
        if (!charts.isArray()) {
            problems.add(id + ": lineCharts is not an array");
            return 0;
        }
        for (JsonNode c : charts) {
            String where = id + "/chart " + c.path("id").asText("?");
            if (!c.path("id").isTextual() || !c.path("title").isTextual() || !c.path("series").isArray()) {
                problems.add(where + ": a line chart needs an id, a title and a series array");
                continue;
            }
            for (JsonNode line : c.get("series")) {
                String at = where + "/" + line.path("name").asText("?");
                if (!line.path("name").isTextual() || !ROLES.contains(line.path("role").asText())) {
                    problems.add(at + ": a series needs a name and a known role");
                }
                JsonNode x = line.path("x");
                JsonNode y = line.path("y");
                if (!numbers(x) || !numbers(y) || x.size() != y.size()) {
                    problems.add(at + ": x and y must be number arrays of equal length");
                }
            }
        }
        return charts.size();
    }

    /** Checks the optional {@code tables} of one scenario; returns how many there are. */
    private static int tables(String id, JsonNode tables, List<String> problems) {
        if (tables == null) {
            return 0;
        }
        if (!tables.isArray()) {
            problems.add(id + ": tables is not an array");
            return 0;
        }
        for (JsonNode t : tables) {
            String where = id + "/table " + t.path("title").asText("?");
            JsonNode columns = t.path("columns");
            if (!t.path("title").isTextual() || !strings(columns) || columns.isEmpty() || !t.path("rows").isArray()) {
                problems.add(where + ": a table needs a title, column names and a rows array");
                continue;
            }
            for (JsonNode row : t.get("rows")) {
                if (!strings(row) || row.size() != columns.size()) {
                    problems.add(where + ": each row must be " + columns.size() + " strings: " + row);
                }
            }
        }
        return tables.size();
    }

    private static boolean numbers(JsonNode array) {
        if (!array.isArray()) {
            return false;
        }
        for (JsonNode n : array) {
            if (!n.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static boolean strings(JsonNode array) {
        if (!array.isArray()) {
            return false;
        }
        for (JsonNode n : array) {
            if (!n.isTextual()) {
                return false;
            }
        }
        return true;
    }

    private static String line(JsonProcessingException e) {
        return e.getLocation() == null ? "?" : e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
