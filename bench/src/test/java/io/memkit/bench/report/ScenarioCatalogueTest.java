package io.memkit.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every variant of every in-JVM scenario sets up, runs a couple of operations and tears down. */
class ScenarioCatalogueTest {

    @Test
    void everyVariantRunsAFewOperations() throws Exception {
        ScenarioContext context = new ScenarioContext(new Settings(true, 10, 1, 5, 10), line -> { }, "test");
        List<String> failures = new ArrayList<>();
        int ran = 0;
        for (Scenario scenario : Scenarios.all()) {
            assertThat(scenario.id()).matches("[a-z0-9-]+");
            assertThat(scenario.title()).isNotBlank();
            assertThat(scenario.description()).isNotBlank();
            if (!(scenario instanceof VariantScenario)) {
                continue;
            }
            List<Variant> variants = ((VariantScenario) scenario).variants(context);
            assertThat(variants).as(scenario.id()).isNotEmpty();
            assertThat(variants.get(0).role()).as(scenario.id() + ": naive variant first").isEqualTo(Role.NAIVE);
            for (Variant v : variants) {
                try {
                    v.setUp();
                    try {
                        v.batch(1);
                        v.batch(2);
                        ran++;
                    } finally {
                        v.tearDown();
                    }
                } catch (Exception | LinkageError e) {
                    failures.add(scenario.id() + "/" + v.name() + ": " + ScenarioContext.describe(e));
                }
            }
            // scenarios may clean up in notes() (e.g. the file-read scenario's temporary file)
            ((VariantScenario) scenario).notes(List.of());
        }
        assertThat(failures).isEmpty();
        assertThat(ran).isGreaterThan(30);
    }
}
