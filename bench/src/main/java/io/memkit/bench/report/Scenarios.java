package io.memkit.bench.report;

import io.memkit.bench.report.scenarios.BoxedListScenario;
import io.memkit.bench.report.scenarios.BurstIdleScenario;
import io.memkit.bench.report.scenarios.CompositeScenario;
import io.memkit.bench.report.scenarios.DirectChurnScenario;
import io.memkit.bench.report.scenarios.FileReadScenario;
import io.memkit.bench.report.scenarios.IntMapScenario;
import io.memkit.bench.report.scenarios.InternScenario;
import io.memkit.bench.report.scenarios.InternerExpungeScenario;
import io.memkit.bench.report.scenarios.LeakHuntScenario;
import io.memkit.bench.report.scenarios.ListGrowthScenario;
import io.memkit.bench.report.scenarios.NettyEchoScenario;
import io.memkit.bench.report.scenarios.ParseScenario;
import io.memkit.bench.report.scenarios.PoolScenario;
import io.memkit.bench.report.scenarios.ScratchScenario;
import java.util.List;

/**
 * The report's scenarios, in the order they run.
 */
public final class Scenarios {
    private Scenarios() {
    }

    /**
     * Every scenario, new instances each call.
     *
     * @return the catalogue
     */
    public static List<Scenario> all() {
        return List.of(
                new ParseScenario(),
                new CompositeScenario(1024),
                new CompositeScenario(64 * 1024),
                new PoolScenario(),
                new FileReadScenario(),
                new DirectChurnScenario(),
                new BurstIdleScenario(),
                new NettyEchoScenario(1024),
                new NettyEchoScenario(16 * 1024),
                new ScratchScenario(),
                new InternScenario(true),
                new InternScenario(false),
                new InternerExpungeScenario(),
                new ListGrowthScenario(),
                new IntMapScenario(),
                new BoxedListScenario(),
                new LeakHuntScenario());
    }
}
