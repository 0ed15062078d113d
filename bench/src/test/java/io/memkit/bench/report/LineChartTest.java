package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Line charts and tables attached by scenarios: collected per chart id, drawn, printed and validated. */
class LineChartTest {
    private static final Settings TINY = new Settings(true, 10, 2, 2, 10);
    private static final LineChart HELD = LineChart.of("held", "Direct memory held after a burst", "time after the burst",
            "ms", "direct memory held", LineChart.BYTES);

    /** Adds its own series of held bytes over time to {@link #HELD}. */
    static final class Sampling extends Variant {
        private final double start;

        Sampling(String name, Role role, double start) {
            super(name, role);
            this.start = start;
        }

        @Override
        public long batch(int ops) {
            return ops;
        }

        @Override
        public Map<String, Double> afterBatches(ScenarioContext context) {
            LineChart.Series.Builder line = LineChart.Series.builder(name(), role());
            for (int t = 0; t <= 4; t++) {
                line.add(t * 250, start / (1 + t));
            }
            context.addSeries(HELD, line.build());
            return Map.of();
        }
    }

    static final class Burst extends VariantScenario {
        @Override
        public String id() {
            return "burst";
        }

        @Override
        public String title() {
            return "Burst then idle";
        }

        @Override
        public String description() {
            return "d";
        }

        @Override
        protected List<Variant> variants(ScenarioContext context) {
            return List.of(new Sampling("memkit BufferPool", Role.MEMKIT, 8 << 20),
                    new Sampling("Netty pooled", Role.PEER, 16 << 20), new Sampling("Netty adaptive", Role.PEER, 12 << 20));
        }

        @Override
        protected void summarize(ScenarioContext context, List<VariantResult> results) {
            context.attach(DataTable.builder("Rows measured", "variant", "units").row(results.get(0).name(), results.get(0).ops())
                    .build());
        }
    }

    @Test
    void eachVariantsSeriesJoinsOneChartAndTheReportCarriesIt() {
        Report report = ReportCommand.runScenarios(List.of(new Burst()), TINY, line -> { });
        ScenarioResult s = report.scenarios().get(0);
        assertThat(s.lineCharts()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo("held");
            assertThat(c.series()).extracting(LineChart.Series::name)
                    .containsExactly("memkit BufferPool", "Netty pooled", "Netty adaptive");
            assertThat(c.series().get(1).y(0)).isEqualTo(16 << 20);
            assertThat(c.series().get(1).x(4)).isEqualTo(1000);
        });
        assertThat(s.tables()).singleElement().satisfies(t -> assertThat(t.rows().get(0).get(0)).isEqualTo("memkit BufferPool"));

        String html = HtmlReport.render(report);
        assertThat(html).contains("aria-label=\"Direct memory held after a burst\"")
                .contains("Netty pooled: last 3.2 MiB, peak 16.0 MiB")
                .contains("<caption>Rows measured</caption>")
                .contains("time after the burst (ms)");
        assertThat(html.split("<polyline", -1)).hasSize(4);
        assertThat(TextTable.attachments(s)).contains("chart: Direct memory held after a burst (direct memory held over "
                + "time after the burst, ms)").contains("  memkit BufferPool: last 1.6 MiB, peak 8.0 MiB (5 points)")
                .contains("table: Rows measured");
    }

    @Test
    void rejectsBadChartsAndTables() {
        assertThatThrownBy(() -> LineChart.Series.of("a", Role.MEMKIT, new double[] {1, 2}, new double[] {1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x values but 1 y values");
        assertThatThrownBy(() -> LineChart.Series.builder("a", Role.PEER).add(0, Double.NaN).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("point 0 is not finite");
        LineChart.Series a = LineChart.Series.of("a", Role.MEMKIT, new double[] {0}, new double[] {1});
        assertThatThrownBy(() -> HELD.withSeries(a).withSeries(a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two series named 'a'");
        assertThatThrownBy(() -> LineChart.of("Held!", "t", "x", "", "y", ""))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Held!'");
        ScenarioContext context = new ScenarioContext(TINY, line -> { }, "test");
        context.addSeries(HELD, a);
        assertThatThrownBy(() -> context.addSeries(LineChart.of("held", "other title", "x", "", "y", ""), a))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("other captions");
        assertThatThrownBy(() -> context.attach(HELD)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already added");
        assertThatThrownBy(() -> DataTable.builder("t", "a", "b").row("only one"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 cells for 2 columns");
    }

    @Test
    void ticksAreRound() {
        assertThat(LineChartSvg.step(10)).isEqualTo(2);
        assertThat(LineChartSvg.step(0.9)).isEqualTo(0.2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(LineChartSvg.byteStep(10 << 20)).isEqualTo(2 << 20);
        assertThat(LineChartSvg.byteStep(12 << 20)).isEqualTo(5 << 20);
        assertThat(LineChartSvg.byteStep(800 << 10)).isEqualTo(200 << 10);
        assertThat(LineChartSvg.value(999.9999999, false, "ms")).isEqualTo("1,000 ms");
        assertThat(LineChartSvg.value(0.30000000000000004, false, "")).isEqualTo("0.3");
        assertThat(LineChartSvg.value(-3 << 20, true, "B")).isEqualTo("-3.0 MiB");
    }
}
