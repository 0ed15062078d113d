package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TextTableTest {

    private static VariantResult row(String name, Role role, double bytes, double ns, long direct) {
        return new VariantResult(name, role, bytes, ns, 3, 12, direct, 1000, Map.of(), null);
    }

    private static final ScenarioResult SCENARIO = new ScenarioResult("parse", "Parsing", "d", "record",
            "heap bytes allocated", List.of(
                    row("copy", Role.NAIVE, 278_864, 50_000, 0),
                    row("memkit Slice", Role.MEMKIT, 24_000, 9_000.4, 16 * 1024 * 1024),
                    row("tiny", Role.PEER, 0.5, 12.34, -1),
                    VariantResult.failed("broken one", Role.PEER, "IllegalStateException: released")),
            "", null, 1.0);

    @Test
    void rendersOneAlignedRowPerVariantWithSavingsAgainstNaive() {
        String table = TextTable.render(List.of(SCENARIO));
        List<String> lines = table.lines().toList();
        assertThat(lines.get(0)).startsWith("variant").contains("bytes/unit", "saved", "ns/unit", "GCs", "GC ms", "direct");
        assertThat(lines.get(2)).isEqualTo("parse: Parsing (per record; bytes = heap bytes allocated)");
        assertThat(lines.get(3)).contains("copy", "naive", "278,864", "base", "50,000");
        assertThat(lines.get(4)).contains("memkit Slice", "memkit", "24,000", "91%", "9,000", "16.0 MiB");
        assertThat(lines.get(5)).contains("tiny", "0.5", ">99.9%", "12.3", " -");
        assertThat(lines.get(6)).contains("broken one", "FAILED: IllegalStateException: released");
        // numeric columns are right-aligned: every full row has the same length
        assertThat(lines.get(3).length()).isEqualTo(lines.get(4).length()).isEqualTo(lines.get(5).length())
                .isEqualTo(lines.get(0).length());
    }

    @Test
    void formatsFiguresForPeople() {
        assertThat(Format.bytes(Double.NaN)).isEqualTo("-");
        assertThat(Format.bytes(24)).isEqualTo("24.0");
        assertThat(Format.bytes(1234.6)).isEqualTo("1,235");
        assertThat(Format.percent(0.9991)).isEqualTo("99.9%");
        assertThat(Format.percent(-0.32)).isEqualTo("-32%");
        assertThat(Format.percent(0.99999)).isEqualTo(">99.9%");
        assertThat(Format.percent(1.0)).isEqualTo("100%");
        assertThat(Format.memory(0)).isEqualTo("0");
        assertThat(Format.memory(512)).isEqualTo("512 B");
        assertThat(Format.memory(16 * 1024)).isEqualTo("16.0 KiB");
        assertThat(Format.memory(-1)).isEqualTo("-");
        assertThat(Format.count(-1)).isEqualTo("-");
    }

    @Test
    void savingsNeedANaiveFigure() {
        ScenarioResult noNaive = new ScenarioResult("x", "X", "d", "op", "b",
                List.of(row("a", Role.PEER, 10, 1, 0)), "", null, 0);
        assertThat(noNaive.naive()).isNull();
        assertThat(Double.isNaN(noNaive.savedVsNaive(noNaive.variants().get(0)))).isTrue();
        assertThat(SCENARIO.savedVsNaive(SCENARIO.variants().get(1))).isCloseTo(1 - 24_000 / 278_864.0,
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void htmlChartsHaveOneBarPerMeasuredVariantAndLabelFailures() {
        String svg = HtmlReport.chart("Heap bytes per record", "B", SCENARIO, true);
        assertThat(svg).startsWith("<svg").endsWith("</svg>\n");
        assertThat(svg.split("<rect", -1)).hasSize(4); // three measured variants
        assertThat(svg).contains(">failed<").contains("278,864 B").contains(HtmlReport.color(Role.MEMKIT));
    }
}
