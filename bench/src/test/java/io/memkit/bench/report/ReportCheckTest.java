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
        return new Report("2026-01-01T00:00:00Z", "quick", List.of(new String[][] {{"java", "JDK 17"}}), List.of(s),
                "memkit instruments: 0 live components\n", 1.0);
    }

    private static List<String> problems(Path dir, String json, List<String> failures) throws Exception {
        Path file = dir.resolve("report.json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        List<String> problems = new ArrayList<>();
        ReportCheck.check(file, problems, failures);
        return problems;
    }

    @Test
    void acceptsAWrittenReportAndListsItsFailedRows(@TempDir Path dir) throws Exception {
        Report r = report(List.of(new VariantResult("copy", Role.NAIVE, 10, 5, 0, 0, 0, 100, Map.of(), null),
                VariantResult.failed("broken", Role.PEER, "IllegalStateException: no")), null);
        List<String> failures = new ArrayList<>();
        assertThat(problems(dir, ReportJson.render(r), failures)).isEmpty();
        assertThat(failures).containsExactly("parse/broken: IllegalStateException: no");
    }

    @Test
    void acceptsAFailedScenarioWithoutVariants(@TempDir Path dir) throws Exception {
        List<String> failures = new ArrayList<>();
        assertThat(problems(dir, ReportJson.render(report(List.of(), "IOException: disk")), failures)).isEmpty();
        assertThat(failures).containsExactly("parse: IOException: disk");
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
                .containsExactly("schema is other, expected memkit-report/1",
                        "x/v: neither figures (bytesPerUnit, nsPerUnit) nor an error");
        assertThat(problems(dir, "{\"a\": 1, \"a\": 2}", ignored)).singleElement().asString().contains("duplicate key");
        List<String> missing = new ArrayList<>();
        ReportCheck.check(dir.resolve("absent.json"), missing, ignored);
        assertThat(missing).singleElement().asString().startsWith("cannot read");
    }
}
