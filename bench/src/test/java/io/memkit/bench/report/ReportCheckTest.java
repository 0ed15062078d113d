package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCheckTest {

    private static Report report(List<VariantResult> variants, String scenarioError) {
        ScenarioResult s = new ScenarioResult("parse", "Parsing", "d", "record", "heap bytes allocated", variants, "",
                scenarioError, 1.0);
        return report(s);
    }

    private static Report report(ScenarioResult s) {
        return new Report("2026-01-01T00:00:00Z", "quick", List.of(new String[][] {{"java", "JDK 17"}}), List.of(s),
                "memkit instruments: 0 live components\n", 1.0);
    }

    private static VariantResult ok(String name, Role role) {
        return new VariantResult(name, role, 10, 5, 0, 0, 0, 100, Map.of(), null);
    }

    private static List<String> problems(Path dir, String json, List<String> failures) throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        ReportCheck.check(file, problems, failures);
        return problems;
    }

    @Test
    void acceptsAWrittenReportAndListsItsFailedPeerRows(@TempDir Path dir) throws Exception {
        Report r = report(List.of(ok("copy", Role.NAIVE), ok("memkit Slice", Role.MEMKIT),
                VariantResult.failed("broken", Role.PEER, "IllegalStateException: no")), null);
        List<String> failures = new ArrayList<>();
        assertThat(problems(dir, ReportJson.render(r), failures)).isEmpty();
        assertThat(failures).containsExactly("parse/broken: IllegalStateException: no");
    }

    @Test
    void rejectsAFailedMemkitRow(@TempDir Path dir) throws Exception {
        Report r = report(List.of(ok("copy", Role.NAIVE),
                VariantResult.failed("memkit Slice", Role.MEMKIT, "IllegalStateException: released")), null);
        List<String> failures = new ArrayList<>();
        assertThat(problems(dir, ReportJson.render(r), failures))
                .containsExactly("memkit row failed: parse/memkit Slice: IllegalStateException: released");
        assertThat(failures).isEmpty();
    }

    @Test
    void rejectsAScenarioThatFailedAsAWhole(@TempDir Path dir) throws Exception {
        assertThat(problems(dir, ReportJson.render(report(List.of(), "IOException: disk")), new ArrayList<>()))
                .containsExactly("parse: the scenario failed (its memkit rows are unknown): IOException: disk");
    }

    @Test
    void acceptsWellFormedChartsAndTablesAndRejectsMalformedOnes(@TempDir Path dir) throws Exception {
        ScenarioResult s = new ScenarioResult("parse", "Parsing", "d", "record", "b", List.of(ok("copy", Role.NAIVE)), "",
                null, 1.0)
                .withLineChart(LineChart.of("held", "Held", "time", "ms", "held", LineChart.BYTES)
                        .withSeries(LineChart.Series.of("memkit", Role.MEMKIT, new double[] {0, 1}, new double[] {5, 6})))
                .withTable(DataTable.builder("Sites", "site", "bytes").row("a", "1").build());
        String good = ReportJson.render(report(s));
        assertThat(problems(dir, good, new ArrayList<>())).isEmpty();
        assertThat(problems(dir, good.replace("\"y\": [\n                5,", "\"y\": ["), new ArrayList<>()))
                .containsExactly("parse/chart held/memkit: x and y must be number arrays of equal length");
        assertThat(problems(dir, good.replace("\"a\",", ""), new ArrayList<>()))
                .containsExactly("parse/table Sites: each row must be 2 strings: [\"1\"]");
        assertThat(problems(dir, good.replace("\"series\": [", "\"series\": 3, \"x\": ["), new ArrayList<>()))
                .containsExactly("parse/chart held: a line chart needs an id, a title and a series array");
    }

    @Test
    void rejectsMalformedOrIncompleteReports(@TempDir Path dir) throws Exception {
        List<String> ignored = new ArrayList<>();
        assertThat(problems(dir, "{\"schema\": \"memkit-report/1\", \"scenarios\": [", ignored))
                .singleElement().asString().startsWith("not valid JSON");
        assertThat(problems(dir, "{\"schema\": \"memkit-report/1\", \"scenarios\": []}", ignored))
                .containsExactly("no scenarios");
        assertThat(problems(dir, "{\"schema\": \"other\", \"scenarios\": [{\"id\": \"x\", \"variants\": "
                + "[{\"name\": \"v\", \"role\": \"naive\", \"bytesPerUnit\": null, \"nsPerUnit\": 1}]}]}", ignored))
                .containsExactly("schema is \"other\", expected memkit-report/1",
                        "x/v: neither figures (bytesPerUnit, nsPerUnit) nor an error");
        assertThat(problems(dir, "{\"a\": 1, \"a\": 2}", ignored)).singleElement().asString().contains("Duplicate field");
        assertThat(problems(dir, "", ignored)).containsExactly("top level is not an object");
        List<String> missing = new ArrayList<>();
        ReportCheck.check(dir.resolve("absent.json"), missing, ignored);
        assertThat(missing).singleElement().asString().startsWith("cannot read");
    }
}
