package io.memkit.bench.report;

/**
 * One scenario of the report: the same work done the naive way, memkit's way and the peers'
 * ways, measured in this JVM (or in a child JVM where the scenario needs JVM flags).
 *
 * <p>Most scenarios extend {@link VariantScenario} and only list their variants. A scenario that
 * measures something else (a child JVM, a leak hunt) implements {@link #run(ScenarioContext)} itself.
 *
 * <p>Besides its rows, a scenario can attach line charts ({@link LineChart}: a time series per
 * variant, e.g. memory held after a burst) and text tables ({@link DataTable}) through
 * {@link ScenarioContext#addSeries}, {@link ScenarioContext#attach(LineChart)} and
 * {@link ScenarioContext#attach(DataTable)}; they appear on the page, in the terminal and in
 * {@code report.json}.
 */
public interface Scenario {

    /**
     * The id given to {@code --scenario}, lower case with dashes, e.g. {@code "parse"}.
     *
     * @return the id
     */
    String id();

    /**
     * A short heading, e.g. {@code "Zero-copy record parsing"}.
     *
     * @return the heading
     */
    String title();

    /**
     * What the scenario does, what one unit is and what the variants differ in; one or two sentences.
     *
     * @return the description
     */
    String description();

    /**
     * What one unit of the per-unit figures is, e.g. {@code "op"}, {@code "chunk"}, {@code "element"}.
     *
     * @return the unit
     */
    default String unit() {
        return "op";
    }

    /**
     * What the byte figure means.
     *
     * @return by default {@code "heap bytes allocated"}
     */
    default String bytesLabel() {
        return "heap bytes allocated";
    }

    /**
     * Runs the scenario. Implementations catch each variant's failure and report it as a failed row;
     * an exception thrown from here fails the whole scenario, which the runner reports the same way.
     *
     * @param context settings, progress lines and the measuring loop
     * @return the figures
     * @throws Exception if the scenario cannot run at all
     */
    ScenarioResult run(ScenarioContext context) throws Exception;
}
