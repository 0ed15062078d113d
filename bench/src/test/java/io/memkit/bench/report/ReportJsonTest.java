package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The layout and number conventions of report.json, which scripts comparing runs rely on. */
class ReportJsonTest {

    private static Report report(ScenarioResult s) {
        return new Report("2026-01-01T00:00:00Z", "quick", List.of(new String[][] {{"java", "JDK 17"}}), List.of(s),
                "memkit instruments: 0 live components\n", 12.5);
    }

    @Test
    void keepsTheLayoutOfSchemaOne() {
        ScenarioResult s = new ScenarioResult("x", "X", "d", "op", "b",
                List.of(VariantResult.failed("broken", Role.PEER, "E: no")), "", null, 0.0);
        assertThat(ReportJson.render(report(s))).isEqualTo(String.join("\n",
                "{",
                "  \"schema\": \"memkit-report/1\",",
                "  \"generatedAt\": \"2026-01-01T00:00:00Z\",",
                "  \"mode\": \"quick\",",
                "  \"seconds\": 12.5,",
                "  \"environment\": {",
                "    \"java\": \"JDK 17\"",
                "  },",
                "  \"headlines\": [],",
                "  \"scenarios\": [",
                "    {",
                "      \"id\": \"x\",",
                "      \"title\": \"X\",",
                "      \"description\": \"d\",",
                "      \"unit\": \"op\",",
                "      \"bytesLabel\": \"b\",",
                "      \"seconds\": 0,",
                "      \"error\": null,",
                "      \"notes\": \"\",",
                "      \"variants\": [",
                "        {",
                "          \"name\": \"broken\",",
                "          \"role\": \"peer\",",
                "          \"bytesPerUnit\": null,",
                "          \"savedVsNaive\": null,",
                "          \"nsPerUnit\": null,",
                "          \"gcCount\": null,",
                "          \"gcMillis\": null,",
                "          \"directBytes\": null,",
                "          \"units\": 0,",
                "          \"extras\": {},",
                "          \"error\": \"E: no\"",
                "        }",
                "      ]",
                "    }",
                "  ],",
                "  \"instruments\": \"memkit instruments: 0 live components\\n\"",
                "}",
                ""));
    }

    @Test
    void writesNonFiniteAsNullWholeNumbersExactAndEscapesStrings() throws Exception {
        Map<String, Double> extras = new LinkedHashMap<>();
        extras.put("nan", Double.NaN);
        extras.put("inf", Double.POSITIVE_INFINITY);
        extras.put("whole", 1016.0);
        extras.put("fraction", 0.125);
        extras.put("tiny", 1e-9);
        String nasty = "a\"b\\c\nd\te\u0001f\u2028g</script>";
        ScenarioResult s = new ScenarioResult("x", nasty, "d", "op", "b", List.of(
                new VariantResult("v", Role.NAIVE, 24000, 1.5, 0, 0, 0, Long.MAX_VALUE, extras, null)), "", null, 1);
        String text = ReportJson.render(report(s));
        assertThat(text).contains("\"whole\": 1016,").contains("\"bytesPerUnit\": 24000,")
                .contains("\"units\": " + Long.MAX_VALUE);
        JsonNode v = ReportJson.MAPPER.readTree(text).get("scenarios").get(0);
        assertThat(v.get("title").textValue()).isEqualTo(nasty);
        JsonNode x = v.get("variants").get(0).get("extras");
        assertThat(x.get("nan").isNull()).isTrue();
        assertThat(x.get("inf").isNull()).isTrue();
        assertThat(x.get("fraction").doubleValue()).isEqualTo(0.125);
        assertThat(x.get("tiny").doubleValue()).isEqualTo(1e-9);
        assertThat(v.has("lineCharts")).as("written only where a scenario has some").isFalse();
        assertThat(v.has("tables")).isFalse();
    }

    @Test
    void carriesLineChartsAndTables() throws Exception {
        LineChart chart = LineChart.of("held", "Held", "time", "ms", "direct memory held", LineChart.BYTES)
                .withSeries(LineChart.Series.of("memkit", Role.MEMKIT, new double[] {0, 10.5}, new double[] {4096, 0}));
        DataTable table = DataTable.builder("Sites", "site", "bytes").row("Slice.slice", 24).build();
        ScenarioResult s = new ScenarioResult("x", "X", "d", "op", "b", List.of(), "", null, 1)
                .withLineChart(chart).withTable(table);
        JsonNode scenario = ReportJson.MAPPER.readTree(ReportJson.render(report(s))).get("scenarios").get(0);
        JsonNode c = scenario.get("lineCharts").get(0);
        assertThat(c.get("id").textValue()).isEqualTo("held");
        assertThat(c.get("yUnit").textValue()).isEqualTo("B");
        JsonNode line = c.get("series").get(0);
        assertThat(line.get("role").textValue()).isEqualTo("memkit");
        assertThat(line.get("x").toString()).isEqualTo("[0,10.5]");
        assertThat(line.get("y").toString()).isEqualTo("[4096,0]");
        assertThat(scenario.get("tables").toString())
                .isEqualTo("[{\"title\":\"Sites\",\"columns\":[\"site\",\"bytes\"],\"rows\":[[\"Slice.slice\",\"24\"]]}]");
    }

    @Test
    void readsStrictly() {
        assertThatThrownBy(() -> ReportJson.MAPPER.readTree("{\"a\": 1, \"a\": 2}"))
                .isInstanceOf(JsonProcessingException.class).hasMessageContaining("Duplicate field 'a'");
        assertThatThrownBy(() -> ReportJson.MAPPER.readTree("{\"a\": 1} x")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> ReportJson.MAPPER.readTree("{\"a\": NaN}")).isInstanceOf(JsonProcessingException.class);
        assertThatThrownBy(() -> ReportJson.MAPPER.readTree("[\"a\u0001\"]")).isInstanceOf(JsonProcessingException.class);
    }
}
