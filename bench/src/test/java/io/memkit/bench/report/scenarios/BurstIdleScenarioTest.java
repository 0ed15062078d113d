package io.memkit.bench.report.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import io.memkit.bench.report.LineChart;
import io.memkit.bench.report.ScenarioContext;
import io.memkit.bench.report.ScenarioResult;
import io.memkit.bench.report.Settings;
import io.memkit.bench.report.VariantResult;
import org.junit.jupiter.api.Test;

/**
 * A short burst-idle run: every row has figures, the live set is exactly what the workload holds,
 * and trim() after the burst brings memkit down to about the live set. Nothing here depends on
 * whether a pool decays on its own, so it holds with and without idle decay.
 */
class BurstIdleScenarioTest {

    @Test
    void shortRunMeasuresEveryAllocatorAgainstTheLiveSet() {
        int tasks = 16;
        ScenarioContext context = new ScenarioContext(new Settings(true, 10, 1, 5, 30), line -> { }, "test");
        ScenarioResult result = new BurstIdleScenario(tasks, 800).run(context);

        long steady = (long) BurstIdleScenario.STEADY_PER_SIZE * (BurstIdleScenario.SMALL + BurstIdleScenario.LARGE);
        long perTask = (long) BurstIdleScenario.SMALL_PER_TASK * BurstIdleScenario.SMALL
                + (long) BurstIdleScenario.LARGE_PER_TASK * BurstIdleScenario.LARGE;
        assertThat(result.variants()).hasSize(5);
        for (VariantResult v : result.variants()) {
            assertThat(v.error()).as(v.name()).isNull();
            assertThat(v.extras().get("liveBytes")).as(v.name()).isEqualTo((double) steady);
            // 16 tasks is one wave on either kind of thread, so the peak is every task's buffers at once
            assertThat(v.extras().get("peakLiveBytes")).as(v.name()).isEqualTo((double) (steady + tasks * perTask));
            assertThat(v.directBytes()).as(v.name()).isGreaterThanOrEqualTo(steady);
            assertThat(v.bytesPerOp()).as(v.name()).isEqualTo((double) v.directBytes() / steady);
        }
        // Idle decay with a timeout of half the idle time: at most 1.5 x the live set by its end.
        VariantResult decayed = result.variants().get(0);
        assertThat(decayed.name()).contains("idleTimeout 400 ms");
        assertThat(decayed.bytesPerOp()).isLessThanOrEqualTo(1.5);
        VariantResult trimmed = result.variants().get(2);
        assertThat(trimmed.name()).contains("trim()");
        assertThat(trimmed.bytesPerOp()).isLessThanOrEqualTo(1.5);
        assertThat(trimmed.extras().get("trimmedBytes")).isPositive();

        assertThat(result.lineCharts()).hasSize(1);
        LineChart chart = result.lineCharts().get(0);
        assertThat(chart.series()).hasSize(6);
        for (LineChart.Series s : chart.series()) {
            assertThat(s.size()).as(s.name()).isGreaterThanOrEqualTo(3);
            for (int i = 1; i < s.size(); i++) {
                assertThat(s.x(i)).as(s.name()).isGreaterThanOrEqualTo(s.x(i - 1));
            }
        }
    }
}
