package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeadlinesTest {

    private static VariantResult row(String name, Role role, double bytes, double ns, long gcs, long direct,
                                     Map<String, Double> extras) {
        return new VariantResult(name, role, bytes, ns, gcs, gcs, direct, 100, extras, null);
    }

    private static Report report(ScenarioResult... scenarios) {
        return new Report("t", "quick", List.of(), List.of(scenarios), "", 0);
    }

    @Test
    void memkitRowsAreComparedWithTheNaiveRow() {
        ScenarioResult s = new ScenarioResult("churn", "Churn", "d", "request", "heap bytes allocated", List.of(
                row("allocateDirect", Role.NAIVE, 136, 20_000, 78, 12 << 20, Map.of()),
                row("memkit BufferPool", Role.MEMKIT, 151, 2_000, 0, 64 << 10, Map.of())), "", null, 1);
        assertThat(report(s).headlines()).containsExactly("Churn: memkit BufferPool vs allocateDirect: 11% more heap bytes "
                + "allocated per request (151 vs 136 B), 10.0x as fast, direct memory held 64.0 KiB vs 12.0 MiB, 0 vs 78 collections.");
    }

    @Test
    void withoutMemkitTheLeanestSavingPeerSpeaks() {
        ScenarioResult saves = new ScenarioResult("map", "Maps", "d", "entry", "heap bytes retained", List.of(
                row("HashMap", Role.NAIVE, 70, 10, 0, 0, Map.of()),
                row("wide", Role.PEER, 40, 10, 0, 0, Map.of()),
                row("Int2IntHashMap", Role.PEER, 13, 20, 0, 0, Map.of())), "", null, 1);
        ScenarioResult costs = new ScenarioResult("x", "X", "d", "op", "heap bytes allocated", List.of(
                row("plain", Role.NAIVE, 10, 10, 0, 0, Map.of()),
                row("heavier", Role.PEER, 20, 5, 0, 0, Map.of())), "", null, 1);
        assertThat(report(saves, costs).headlines()).containsExactly("Maps: Int2IntHashMap vs HashMap: 81% fewer heap bytes "
                + "retained per entry (13.0 vs 70.0 B), 2.0x the time.");
    }

    @Test
    void chartedExtrasGetTheirOwnChart() {
        ScenarioResult s = new ScenarioResult("churn", "Churn", "d", "request", "heap bytes allocated", List.of(
                row("allocateDirect", Role.NAIVE, 136, 20_000, 78, 0, Map.of("explicitGcs", 77.0)),
                row("pool", Role.MEMKIT, 151, 2_000, 0, 0, Map.of("explicitGcs", 0.0))), "", null, 1, List.of("explicitGcs"));
        String html = HtmlReport.render(report(s));
        assertThat(html).contains("aria-label=\"System.gc() collections\"").contains(">77<");
    }
}
