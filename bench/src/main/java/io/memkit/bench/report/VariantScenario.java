package io.memkit.bench.report;

import java.util.ArrayList;
import java.util.List;

/**
 * A scenario that is a list of {@link Variant}s, each measured by {@link ScenarioContext#measure(Variant)}.
 * Line charts and tables attached to the context while it runs ({@link ScenarioContext#addSeries},
 * {@link ScenarioContext#attach(LineChart)}, {@link ScenarioContext#attach(DataTable)}) join its result.
 */
public abstract class VariantScenario implements Scenario {

    /** For subclasses. */
    protected VariantScenario() {
    }

    /**
     * The variants to measure, naive first. Called once per run; each variant is set up, measured
     * and torn down in turn, so variants may hold resources.
     *
     * @param context the running scenario's context (e.g. to size data for the quick report)
     * @return the variants
     * @throws Exception if the scenario's shared data cannot be prepared
     */
    protected abstract List<Variant> variants(ScenarioContext context) throws Exception;

    /**
     * Text printed under the scenario's table rows and shown on the HTML page; none by default.
     *
     * @param results the measured results
     * @return notes, or an empty string
     */
    protected String notes(List<VariantResult> results) {
        return "";
    }

    /**
     * Runs after every variant, before {@link #notes(List)}: the place to attach a line chart or a
     * table built from all the results ({@link ScenarioContext#attach(LineChart)},
     * {@link ScenarioContext#attach(DataTable)}); nothing by default.
     *
     * @param context the running scenario's context
     * @param results the measured results
     * @throws Exception if it fails; the whole scenario then fails
     */
    protected void summarize(ScenarioContext context, List<VariantResult> results) throws Exception {
    }

    /**
     * Measures every variant; a variant that throws becomes a failed row and the others still run.
     *
     * @param context settings, progress lines and the measuring loop
     * @return the figures
     * @throws Exception if {@link #variants(ScenarioContext)} or {@link #summarize} throws
     */
    @Override
    public ScenarioResult run(ScenarioContext context) throws Exception {
        long t0 = System.nanoTime();
        List<Variant> variants = variants(context);
        List<VariantResult> results = new ArrayList<>(variants.size());
        for (Variant variant : variants) {
            results.add(context.measure(variant));
        }
        summarize(context, results);
        return context.drainAttachments(new ScenarioResult(id(), title(), description(), unit(), bytesLabel(), results,
                notes(results), null, (System.nanoTime() - t0) / 1e9));
    }
}
