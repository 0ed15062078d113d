package io.memkit.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a {@code report.json} for CI's smoke test: strict JSON, the expected schema, at least one
 * scenario, and every variant either with figures or with an error. Failed variants are listed
 * but allowed (a report never fails because one scenario does); a missing or malformed file fails.
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
     * @param problems receives what makes it invalid
     * @param failures receives the failed scenarios and variants it records
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
        Object root;
        try {
            root = JsonReader.parse(text);
        } catch (IllegalArgumentException e) {
            problems.add("not valid JSON: " + e.getMessage());
            return "";
        }
        if (!(root instanceof Map)) {
            problems.add("top level is not an object");
            return "";
        }
        Map<?, ?> report = (Map<?, ?>) root;
        if (!ReportJson.SCHEMA.equals(report.get("schema"))) {
            problems.add("schema is " + report.get("schema") + ", expected " + ReportJson.SCHEMA);
        }
        if (!(report.get("scenarios") instanceof List) || ((List<?>) report.get("scenarios")).isEmpty()) {
            problems.add("no scenarios");
            return "";
        }
        int variants = 0;
        List<?> scenarios = (List<?>) report.get("scenarios");
        for (Object o : scenarios) {
            if (!(o instanceof Map)) {
                problems.add("a scenario is not an object");
                continue;
            }
            Map<?, ?> s = (Map<?, ?>) o;
            Object id = s.get("id");
            if (!(id instanceof String)) {
                problems.add("a scenario has no id");
                continue;
            }
            if (s.get("error") instanceof String) {
                failures.add(id + ": " + s.get("error"));
            }
            if (!(s.get("variants") instanceof List)) {
                problems.add(id + ": no variants list");
                continue;
            }
            if (((List<?>) s.get("variants")).isEmpty() && !(s.get("error") instanceof String)) {
                problems.add(id + ": no variants and no error");
            }
            for (Object vo : (List<?>) s.get("variants")) {
                variants++;
                if (!(vo instanceof Map)) {
                    problems.add(id + ": a variant is not an object");
                    continue;
                }
                Map<?, ?> v = (Map<?, ?>) vo;
                String name = String.valueOf(v.get("name"));
                if (!(v.get("name") instanceof String) || !ROLES.contains(v.get("role"))) {
                    problems.add(id + "/" + name + ": missing name or unknown role " + v.get("role"));
                }
                if (v.get("error") instanceof String) {
                    failures.add(id + "/" + name + ": " + v.get("error"));
                } else if (!(v.get("bytesPerUnit") instanceof Double) || !(v.get("nsPerUnit") instanceof Double)) {
                    problems.add(id + "/" + name + ": neither figures (bytesPerUnit, nsPerUnit) nor an error");
                }
            }
        }
        return scenarios.size() + " scenarios, " + variants + " variants, " + failures.size() + " failed";
    }
}
